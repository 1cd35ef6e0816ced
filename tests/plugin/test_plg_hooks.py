"""``swf_plugins``: a conftest hands hook implementations to every test's simulator."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

CONFTEST = """
import pytest
from swfsim.hooks import hookimpl


class Recorder:
    \"\"\"Sees what happens in the simulator, through swfsim's hooks.\"\"\"

    def __init__(self):
        self.operations = []
        self.events = []
        self.moves = []

    @hookimpl
    def swfsim_before_operation(self, operation):
        self.operations.append(operation)

    @hookimpl
    def swfsim_event_appended(self, run, event):
        self.events.append((run.workflow_id, event["eventId"], event["eventType"]))

    @hookimpl
    def swfsim_clock_advanced(self, old_ms, new_ms):
        self.moves.append((new_ms - old_ms) // 1000)


@pytest.fixture
def recorder():
    return Recorder()


@pytest.fixture
def swf_plugins(recorder):
    return [recorder]
"""

TESTS = """
import pytest
from swfsim.hooks import hookimpl

ORDER = {"name": "order", "version": "1"}


@pytest.mark.swf(domains=["shop"], workflow_types=["order"])
def test_recorder_sees_events(recorder, swf_client, swf_clock):
    swf_client.start_workflow_execution(domain="shop", workflowId="o-1", workflowType=ORDER)
    swf_client.poll_for_decision_task(domain="shop", taskList={"name": "order"})
    swf_clock.advance(60)  # the decision task times out (start-to-close 60 s)
    assert recorder.events == [
        ("o-1", 1, "WorkflowExecutionStarted"),
        ("o-1", 2, "DecisionTaskScheduled"),
        ("o-1", 3, "DecisionTaskStarted"),
        ("o-1", 4, "DecisionTaskTimedOut"),
        ("o-1", 5, "DecisionTaskScheduled"),
    ]
    # The marker's registrations are operations too; then the test's own calls.
    assert recorder.operations[-2:] == ["StartWorkflowExecution", "PollForDecisionTask"]
    assert recorder.moves == [60]


def test_a_hook_can_answer_instead(recorder, swf, swf_client):
    class Closed:
        @hookimpl
        def swfsim_before_operation(self, operation):
            if operation == "ListDomains":
                return {"domainInfos": [{"name": "fake", "status": "REGISTERED"}]}
            return None

    swf.plugins.register(Closed())
    listed = swf_client.list_domains(registrationStatus="REGISTERED")["domainInfos"]
    assert [info["name"] for info in listed] == ["fake"]
    # swfsim_before_operation stops at the first answer, and the plugin registered last is
    # asked first: the recorder never saw this call.
    assert recorder.operations == []


class TestOverriddenAgain:
    @pytest.fixture
    def swf_plugins(self):
        return []  # a closer override wins, as for any fixture

    def test_no_recorder(self, recorder, swf_client):
        swf_client.list_domains(registrationStatus="REGISTERED")
        assert recorder.operations == []
"""


def test_swf_plugins_override_in_a_conftest(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(TESTS)
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=3)
