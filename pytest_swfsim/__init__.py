"""pytest_swfsim: the pytest plugin of swfsim (fixtures and markers come with its own issue)."""
