"""The pytest plugin entry point (registered through ``pytest11``); fixtures arrive in issue 5."""
