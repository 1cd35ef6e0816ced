"""pytest_swfsim: swfsim's pytest plugin (fixtures, markers, fault injection, failure timelines,
trace recording, the strategies' explored summary and the SWF coverage report); the entry point
is :mod:`pytest_swfsim.plugin`. See docs/pytest.md."""
