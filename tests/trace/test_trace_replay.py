"""replay_trace(): a recorded session answers again, and every way it can go wrong says how."""

from __future__ import annotations

from pathlib import Path

import pytest
from trace_helpers import DOMAIN, TASK_LIST, WORKFLOW, client, session

import swfsim


@pytest.fixture
def recorded(tmp_path: Path) -> tuple[Path, dict[str, object]]:
    path = tmp_path / "t.jsonl"
    with swfsim.mock_swf(), swfsim.record(path):
        seen = session(client())
    return path, seen


def test_a_recorded_session_replays_with_the_same_results(
    recorded: tuple[Path, dict[str, object]],
) -> None:
    path, seen = recorded
    with swfsim.replay_trace(path) as stub:
        # Another identity: identities are aliased, so a replay on another host matches.
        assert session(client(), identity="elsewhere") == seen
    assert stub.unmade == []


def test_a_changed_call_fails_side_by_side(recorded: tuple[Path, dict[str, object]]) -> None:
    path, _ = recorded
    with (
        swfsim.replay_trace(path, strict=False),
        pytest.raises(swfsim.TraceMismatchError) as failed,
    ):
        session(client(), workflow_id="wf-2")
    message = str(failed.value)
    assert "no recorded call matches StartWorkflowExecution" in message
    assert "recorded StartWorkflowExecution (line 5)" in message
    assert "workflowId  'wf-2'     'wf-1'" in message


def test_a_changed_member_of_the_same_key_is_shown(
    recorded: tuple[Path, dict[str, object]],
) -> None:
    path, _ = recorded
    with swfsim.replay_trace(path, strict=False):
        swf = client()
        swf.register_domain(name=DOMAIN, workflowExecutionRetentionPeriodInDays="1")
        with pytest.raises(swfsim.TraceMismatchError, match=r"(?s)differs.*input +'other' +'in'"):
            swf.start_workflow_execution(
                domain=DOMAIN, workflowId="wf-1", workflowType=WORKFLOW, input="other"
            )


def test_running_out_fails_instead_of_wrapping_around(
    recorded: tuple[Path, dict[str, object]],
) -> None:
    path, _ = recorded
    with swfsim.replay_trace(path, strict=False):
        swf = client()
        session(swf)
        with pytest.raises(
            swfsim.TraceMismatchError, match=r"ran out of PollForDecisionTask.*2 such"
        ):
            swf.poll_for_decision_task(domain=DOMAIN, taskList=TASK_LIST)


def test_strict_mode_reports_the_calls_not_made(recorded: tuple[Path, dict[str, object]]) -> None:
    path, _ = recorded
    expected = r"(?s)11 of 12 recorded calls.*line 3: Regi"
    with pytest.raises(swfsim.TraceNotExhaustedError, match=expected), swfsim.replay_trace(path):
        client().register_domain(name=DOMAIN, workflowExecutionRetentionPeriodInDays="1")


def test_lenient_mode_allows_calls_not_made(recorded: tuple[Path, dict[str, object]]) -> None:
    path, _ = recorded
    with swfsim.replay_trace(path, strict=False) as stub:
        client().register_domain(name=DOMAIN, workflowExecutionRetentionPeriodInDays="1")
    assert len(stub.unmade) == 11


def test_calls_of_different_keys_may_come_in_another_order(
    recorded: tuple[Path, dict[str, object]],
) -> None:
    path, _ = recorded
    with swfsim.replay_trace(path, strict=False):
        swf = client()
        with pytest.raises(swf.exceptions.UnknownResourceFault):  # replayed as recorded
            swf.describe_domain(name="no-such-domain")
        swf.register_domain(name=DOMAIN, workflowExecutionRetentionPeriodInDays="1")


def test_poll_answers_the_next_task_of_its_list(recorded: tuple[Path, dict[str, object]]) -> None:
    path, _ = recorded
    with swfsim.replay_trace(path, strict=False):
        swf = client()
        work = swf.poll_for_activity_task(domain=DOMAIN, taskList=TASK_LIST, identity="x")
        assert work["activityId"] == "a1"
        assert work["taskToken"].startswith("alias:token:")


def test_as_a_decorator_each_call_replays_afresh(recorded: tuple[Path, dict[str, object]]) -> None:
    path, seen = recorded

    @swfsim.replay_trace(path)
    def replayed() -> dict[str, object]:
        return session(client())

    assert replayed() == seen
    assert replayed() == seen  # no "ran out": the whole trace again


def test_inside_a_mock_swf_block_the_trace_answers_the_clients_made_in_it(
    recorded: tuple[Path, dict[str, object]],
) -> None:
    path, seen = recorded
    with swfsim.mock_swf(region="eu-west-1") as sim:
        made_before = client()
        with swfsim.replay_trace(path) as stub:
            assert session(client(), identity="elsewhere") == seen
            made_before.register_domain(name="outer", workflowExecutionRetentionPeriodInDays="1")
        assert stub.unmade == []
    assert sorted(sim.engine.registry.domains) == ["outer"]


def test_inside_a_replay_block_a_mock_swf_answers_the_clients_made_in_it(
    recorded: tuple[Path, dict[str, object]],
) -> None:
    path, _ = recorded
    with (
        swfsim.replay_trace(path, strict=False) as stub,
        swfsim.mock_swf(region="eu-west-1") as sim,
    ):
        session(client())
    assert stub.unmade == list(stub.trace.calls)  # no call reached the trace
    assert list(sim.engine.registry.domains) == [DOMAIN]


def test_a_client_of_a_mock_swf_handed_to_a_replay_is_answered_by_the_trace_until_it_ends(
    recorded: tuple[Path, dict[str, object]],
) -> None:
    path, seen = recorded
    with swfsim.mock_swf(region="eu-west-1") as sim:
        swf = client()
        with swfsim.replay_trace(path, clients=[swf]):
            assert session(swf, identity="elsewhere") == seen
        swf.register_domain(name="after", workflowExecutionRetentionPeriodInDays="1")
    assert sorted(sim.engine.registry.domains) == ["after"]
