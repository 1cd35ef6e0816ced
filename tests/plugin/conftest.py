"""The plugin suite: swfsim's pytest plugin as its users meet it.

Most tests write a small test project with ``pytester`` and run pytest on it (in process, or in
a subprocess where isolation matters: xdist, the entry point); the fault tests use the plugin's
fixtures directly, since this very session loads the plugin through its entry point.
"""

from __future__ import annotations

# pytester's in-process runs drop the modules a run imported once it ends. Had the first run
# imported swfsim (and botocore), the plugin, which outlives the runs, would then patch the
# dropped botocore while the next run's tests create clients from a fresh one. Importing them
# here, before any run, keeps one copy of each for the whole session, and saves each run from
# importing them again (hypothesis's pytest plugin imports hypothesis at the end of every run).
import hypothesis  # noqa: F401
import moto.moto_server.werkzeug_app
import moto.s3.models  # noqa: F401
import yaml  # noqa: F401

import pytest_swfsim._endpoint
import pytest_swfsim._recording
import pytest_swfsim._report  # noqa: F401
import swfsim.faults
import swfsim.frozen  # noqa: F401

# pytester is enabled by each test module that uses it (pytest_plugins = ["pytester"]): pytest
# accepts pytest_plugins in a test module, but in a conftest only at the top of the tree.
