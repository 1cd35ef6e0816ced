"""The API suite exercises all 39 operations of botocore's SWF model.

Every call the suite makes goes through ``checked_client`` (api_helpers.py), whose ``after-call``
hook checks the response against the operation's output shape and records the operation. The
last test of the session (conftest.py moves ``run_last`` tests to the end) asserts that each
operation of the model was answered successfully at least once. It only means something when
the whole API suite ran in this process, so it skips itself otherwise (a single module, ``-k``,
or an xdist worker). OperationNotPermittedFault is the one modeled fault the suite cannot
trigger: swfsim has no IAM, so every caller may do everything.
"""

from __future__ import annotations

import os
from pathlib import Path

import botocore.session
import pytest
from api_helpers import SESSION, SUCCESSFUL_OPERATIONS

API_DIR = Path(__file__).parent
MODEL = botocore.session.get_session().get_service_model("swf")


def test_model_has_39_operations_and_7_paginators():
    """The suite is written against this model; a new botocore model must be looked at."""
    loader = botocore.session.get_session().get_component("data_loader")
    paginated = set(loader.load_service_model("swf", "paginators-1")["pagination"])

    assert len(MODEL.operation_names) == 39
    assert paginated == {
        "GetWorkflowExecutionHistory",
        "ListActivityTypes",
        "ListClosedWorkflowExecutions",
        "ListDomains",
        "ListOpenWorkflowExecutions",
        "ListWorkflowTypes",
        "PollForDecisionTask",
    }


@pytest.mark.run_last
def test_every_operation_was_answered():
    whole_suite = {path.name for path in API_DIR.glob("test_*.py")}
    if os.environ.get("PYTEST_XDIST_WORKER"):
        pytest.skip("each xdist worker sees only its share of the suite")
    if SESSION["deselected"] or SESSION["modules"] != whole_suite:
        pytest.skip("meaningful only when the whole API suite runs in this session")

    missing = sorted(set(MODEL.operation_names) - SUCCESSFUL_OPERATIONS)

    assert not missing, f"operations no API test called successfully: {missing}"
