"""Simulator.resume: a recorded history continues as a live run, from exactly where it was, on
the virtual clock; what the run then writes is a valid history."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from rpl_support import DOMAIN, REAL_HISTORIES, WORKFLOW, JsonDict, register, swf_client

import swfsim
from swfsim.errors import UnknownResourceFault, WorkflowExecutionAlreadyStartedFault
from swfsim.harness import DecisionTask
from swfsim.replay import History, load_history
from swfsim.timeline import format_timeline

SIGNALS = REAL_HISTORIES / "simpleflow__test_signal_played_twice.json"
LAMBDA = REAL_HISTORIES / "simpleflow__test_lambda.json"
TIMERS = REAL_HISTORIES / "simpleflow__test_timer_and_cancel.json"
CHAIN = REAL_HISTORIES / "simpleflow__test_chain_send_result.json"
CHILD = REAL_HISTORIES / "simpleflow__test_child_workflow.json"


def first(path: Any, count: int) -> History:
    """The first ``count`` events of a real history: the run as it was at that moment."""
    history = load_history(path)
    return load_history(list(history.events[:count]), execution=history.execution)


def simulator_for(history: History) -> swfsim.Simulator:
    """A Simulator whose clock is at the history's last event, its domain and type registered."""
    sim = swfsim.Simulator(start=history.last_time)
    sim.handle("RegisterDomain", {"name": "prod", "workflowExecutionRetentionPeriodInDays": "1"})
    workflow_type = history.workflow_type or {}
    sim.handle("RegisterWorkflowType", {"domain": "prod", **workflow_type})
    return sim


def decision_list(history: History) -> str:
    return history.started["taskList"]["name"]


def poll(sim: swfsim.Simulator, task_list: str) -> JsonDict:
    return sim.handle("PollForDecisionTask", {"domain": "prod", "taskList": {"name": task_list}})


def respond(sim: swfsim.Simulator, token: str, *decisions: JsonDict) -> None:
    sim.handle("RespondDecisionTaskCompleted", {"taskToken": token, "decisions": list(decisions)})


COMPLETE = {"decisionType": "CompleteWorkflowExecution"}


def test_a_timer_fires_after_the_time_it_had_left() -> None:
    # Events 1-8: "timer 2" (120 s) started at event 5; event 8, 2.001 s later, schedules a
    # decision task. Production's decider canceled the timer; the new one lets it fire.
    history = first(TIMERS, 8)
    sim = simulator_for(history)
    resumed = sim.resume(history, domain="prod")
    task = poll(sim, decision_list(history))
    assert (task["startedEventId"], task["previousStartedEventId"]) == (9, 3)
    assert task["events"][:8] == list(history.events)
    respond(sim, task["taskToken"])
    workflow_id = resumed.execution["workflowId"]
    sim.clock.advance(timedelta(seconds=117, milliseconds=998))
    assert sim.history("prod", workflow_id)[-1]["eventType"] == "DecisionTaskCompleted"
    sim.clock.advance(timedelta(milliseconds=1))
    fired = sim.history("prod", workflow_id)[-2]
    assert fired["eventType"] == "TimerFired"
    assert fired["timerFiredEventAttributes"] == {"timerId": "timer 2", "startedEventId": 5}
    assert fired["eventTimestamp"] == 1492443961.284 + 0.753 + 120
    respond(sim, poll(sim, decision_list(history))["taskToken"], COMPLETE)
    assert swfsim.validate_history(sim.history("prod", workflow_id)) == []


def test_an_activity_a_worker_held_is_answered_with_its_token() -> None:
    # Events 1-6: production's worker had started the activity (event 6), not finished it.
    history = first(CHAIN, 6)
    sim = simulator_for(history)
    resumed = sim.resume(history, domain="prod")
    (token,) = resumed.activity_task_tokens.values()
    assert list(resumed.activity_task_tokens) == ["activity-tests.integration.workflow.increment-1"]
    sim.handle("RespondActivityTaskCompleted", {"taskToken": token, "result": "6"})
    task = poll(sim, decision_list(history))
    completed = task["events"][6]
    assert completed["eventType"] == "ActivityTaskCompleted"
    assert completed["activityTaskCompletedEventAttributes"] == {
        "result": "6",
        "scheduledEventId": 5,
        "startedEventId": 6,
    }
    respond(sim, task["taskToken"], COMPLETE)
    assert swfsim.validate_history(sim.history("prod", resumed.execution["workflowId"])) == []


def test_an_activity_not_started_waits_for_a_new_worker() -> None:
    history = first(CHAIN, 5)
    sim = simulator_for(history)
    resumed = sim.resume(history, domain="prod")
    assert resumed.activity_task_tokens == {}
    work = sim.handle(
        "PollForActivityTask", {"domain": "prod", "taskList": {"name": decision_list(history)}}
    )
    assert (work["activityId"], work["input"]) == (
        "activity-tests.integration.workflow.increment-1",
        '{"args":[5],"kwargs":{}}',
    )
    assert work["startedEventId"] == 6


def test_an_activity_times_out_when_its_time_runs_out() -> None:
    # The greeter's activity type gives its tasks 300 s to run once started. The history is
    # resumed in a Simulator whose clock is 10 s later: the last event (ActivityTaskStarted)
    # happened "now" there, and the task has its 300 s from now.
    sim, execution = greeter_until_started("PollForActivityTask", "workers")
    sim.clock.advance(10)
    later = resumed_elsewhere(sim, execution)
    later.clock.advance(299.999)
    assert len(later.history(DOMAIN, "greet-ada")) == 6
    later.clock.advance(0.001)
    timed_out = later.history(DOMAIN, "greet-ada")[6]
    assert timed_out["activityTaskTimedOutEventAttributes"]["timeoutType"] == "START_TO_CLOSE"
    assert swfsim.validate_history(later.history(DOMAIN, "greet-ada")) == []


def test_a_decision_task_production_had_started() -> None:
    history = first(TIMERS, 3)
    sim = simulator_for(history)
    resumed = sim.resume(history, domain="prod")
    assert resumed.decision_task_token is not None
    respond(sim, resumed.decision_task_token, COMPLETE)
    events = sim.history("prod", resumed.execution["workflowId"])
    assert events[3]["decisionTaskCompletedEventAttributes"] == {
        "scheduledEventId": 2,
        "startedEventId": 3,
    }
    assert events[4]["eventType"] == "WorkflowExecutionCompleted"


def test_a_decision_task_nobody_answers_times_out_and_is_scheduled_again() -> None:
    # The greeter's decision tasks have 60 s (taskStartToCloseTimeout).
    sim, execution = greeter_until_started("PollForDecisionTask", "deciders", decide=False)
    sim.clock.advance(20)
    later = resumed_elsewhere(sim, execution)
    later.clock.advance(60)
    events = later.history(DOMAIN, "greet-ada")
    assert [e["eventType"] for e in events[3:]] == [
        "DecisionTaskTimedOut",
        "DecisionTaskScheduled",
    ]
    assert events[3]["eventTimestamp"] == events[2]["eventTimestamp"] + 20 + 60
    assert swfsim.validate_history(events) == []


def greeter_until_started(
    poll: str, task_list: str, *, decide: bool = True
) -> tuple[swfsim.Simulator, JsonDict]:
    """The greeter started, its first decision made (if ``decide``), then a task polled."""
    sim = swfsim.Simulator(seed=5)
    swf_setup(sim)
    execution = start(sim)
    if decide:
        task = sim.handle(
            "PollForDecisionTask", {"domain": DOMAIN, "taskList": {"name": "deciders"}}
        )
        respond(sim, task["taskToken"], *harness_decisions(sim, task))
    sim.handle(poll, {"domain": DOMAIN, "taskList": {"name": task_list}})
    return sim, execution


def resumed_elsewhere(sim: swfsim.Simulator, execution: JsonDict) -> swfsim.Simulator:
    """A new Simulator at ``sim``'s moment, with ``sim``'s run of the greeter resumed in it."""
    exported = load_history(sim.history(DOMAIN, "greet-ada"), execution=execution)
    later = swfsim.Simulator(seed=6, start=sim.clock.now())
    swf_setup(later)
    later.resume(exported, domain=DOMAIN)
    return later


def harness_decisions(sim: swfsim.Simulator, task: JsonDict) -> list[JsonDict]:
    events = sim.history(DOMAIN, task["workflowExecution"]["workflowId"])[: task["startedEventId"]]
    view = DecisionTask("greet-ada", "", WORKFLOW, events, task["previousStartedEventId"])
    return harness_greeter(view)


def test_a_child_stays_open_and_the_run_times_out_on_time() -> None:
    history = first(CHILD, 9)  # the child started (event 6); the decision after it completed
    sim = simulator_for(history)
    execution = sim.resume(history, domain="prod").execution
    described = sim.handle("DescribeWorkflowExecution", {"domain": "prod", "execution": execution})
    assert described["openCounts"]["openChildWorkflowExecutions"] == 1
    started = history.event(1)["eventTimestamp"]
    sim.clock.advance(300 - (history.event(9)["eventTimestamp"] - started))
    events = sim.history("prod", execution["workflowId"])
    assert events[-1]["eventType"] == "WorkflowExecutionTimedOut"
    assert events[-1]["eventTimestamp"] == pytest.approx(started + 300)


def test_a_run_resumed_elsewhere_continues_as_it_would_have() -> None:
    # The greeter runs until its timer starts in one Simulator; its history, resumed in
    # another whose clock is at that moment, runs to the end exactly as the first one does.
    histories = []
    for move in (False, True):
        sim = swfsim.Simulator(seed=3)
        swf_setup(sim)
        execution = start(sim)
        sim.run(until=timedelta(0))  # every task answered; the timer has 60 s to go
        if move:
            sim = resumed_elsewhere(sim, execution)
        sim.run(workflow_ids=["greet-ada"])
        histories.append(sim.history(DOMAIN, "greet-ada"))
    assert histories[0] == histories[1]
    assert format_timeline(histories[1]).splitlines()[-1].endswith('result="Hello, Ada!"')


def swf_setup(sim: swfsim.Simulator) -> None:
    with swfsim.mock_swf(sim):
        register(swf_client())
    sim.decider(DOMAIN, WORKFLOW["name"], harness_greeter)
    sim.activity(DOMAIN, "greet", lambda work: f"Hello, {work.input}!")


def start(sim: swfsim.Simulator) -> JsonDict:
    started = sim.handle(
        "StartWorkflowExecution",
        {"domain": DOMAIN, "workflowId": "greet-ada", "workflowType": WORKFLOW, "input": "Ada"},
    )
    return {"workflowId": "greet-ada", "runId": started["runId"]}


def harness_greeter(task: DecisionTask) -> list[JsonDict]:
    done = [e for e in task.events if e["eventType"] == "ActivityTaskCompleted"]
    if not done:
        attrs = {"activityType": {"name": "greet", "version": "1"}, "activityId": "greet-1"}
        attrs["input"] = task.input or ""
        return [
            {
                "decisionType": "ScheduleActivityTask",
                "scheduleActivityTaskDecisionAttributes": attrs,
            }
        ]
    if not any(e["eventType"] == "TimerFired" for e in task.events):
        timer = {"timerId": "pause", "startToFireTimeout": "60"}
        return [{"decisionType": "StartTimer", "startTimerDecisionAttributes": timer}]
    result = done[0]["activityTaskCompletedEventAttributes"]["result"]
    return [
        {
            "decisionType": "CompleteWorkflowExecution",
            "completeWorkflowExecutionDecisionAttributes": {"result": result},
        }
    ]


def test_a_parent_and_its_child_resumed_together_are_linked() -> None:
    sim = swfsim.Simulator(seed=1)
    swf_setup(sim)
    parent_run = sim.handle(
        "StartWorkflowExecution",
        {"domain": DOMAIN, "workflowId": "parent", "workflowType": WORKFLOW},
    )["runId"]
    task = sim.handle("PollForDecisionTask", {"domain": DOMAIN, "taskList": {"name": "deciders"}})
    child = {"workflowType": WORKFLOW, "workflowId": "child", "input": "Bob"}
    respond(
        sim,
        task["taskToken"],
        {
            "decisionType": "StartChildWorkflowExecution",
            "startChildWorkflowExecutionDecisionAttributes": child,
        },
    )
    parent_events, child_events = sim.history(DOMAIN, "parent"), sim.history(DOMAIN, "child")
    later = swfsim.Simulator(seed=2, start=sim.clock.now())
    swf_setup(later)
    started = next(e for e in parent_events if e["eventType"] == "ChildWorkflowExecutionStarted")
    child_run = started["childWorkflowExecutionStartedEventAttributes"]["workflowExecution"][
        "runId"
    ]
    later.resume(child_events, domain=DOMAIN, workflow_id="child", run_id=child_run)
    later.resume(parent_events, domain=DOMAIN, workflow_id="parent", run_id=parent_run)
    later.run(workflow_ids=["child"])
    parent = later.history(DOMAIN, "parent")
    closed = [e for e in parent if e["eventType"] == "ChildWorkflowExecutionCompleted"]
    assert closed[0]["childWorkflowExecutionCompletedEventAttributes"]["result"] == "Hello, Bob!"
    assert swfsim.validate_history(parent) == []


def test_what_cannot_be_resumed() -> None:
    closed = load_history(TIMERS)
    sim = simulator_for(closed)
    with pytest.raises(ValueError, match=r"it closed \(event 17, WorkflowExecutionCompleted\)"):
        sim.resume(closed, domain="prod")
    broken = [dict(event) for event in closed.events[:8]]
    broken[6] = {**broken[6], "eventTimestamp": 0}
    with pytest.raises(ValueError, match=r"not valid:\n  event 7 \(TimerFired\): eventTimestamp"):
        sim.resume(broken, domain="prod", workflow_id="w")
    with pytest.raises(ValueError, match="pass workflow_id="):
        sim.resume(list(closed.events[:8]), domain="prod")
    with pytest.raises(UnknownResourceFault, match="Unknown domain: elsewhere"):
        sim.resume(first(TIMERS, 8), domain="elsewhere")
    sim.handle("RegisterDomain", {"name": "empty", "workflowExecutionRetentionPeriodInDays": "1"})
    with pytest.raises(UnknownResourceFault, match=r"WorkflowType=\[name=example, version=exam"):
        sim.resume(first(TIMERS, 8), domain="empty")
    sim.resume(first(TIMERS, 8), domain="prod")
    with pytest.raises(WorkflowExecutionAlreadyStartedFault):
        sim.resume(first(TIMERS, 8), domain="prod")


def test_a_clock_behind_the_history_moves_to_its_last_event() -> None:
    history = first(TIMERS, 8)
    sim = swfsim.Simulator(start=history.last_time - timedelta(days=1))
    sim.handle("RegisterDomain", {"name": "prod", "workflowExecutionRetentionPeriodInDays": "1"})
    sim.handle("RegisterWorkflowType", {"domain": "prod", "name": "example", "version": "example"})
    sim.resume(history, domain="prod")
    assert sim.clock.now() == history.last_time


def test_work_production_had_not_begun_happens_at_once() -> None:
    # Events 1-8: two signals to itself initiated (5, 6), not delivered yet; a 0 s timer (8).
    history = first(SIGNALS, 8)
    sim = simulator_for(history)
    workflow_id = sim.resume(history, domain="prod").execution["workflowId"]
    events = sim.history("prod", workflow_id)
    assert [e["eventType"] for e in events[8:]] == [
        "WorkflowExecutionSignaled",
        "DecisionTaskScheduled",
        "ExternalWorkflowExecutionSignaled",
        "WorkflowExecutionSignaled",
        "ExternalWorkflowExecutionSignaled",
    ]
    sim.clock.advance(0)
    assert sim.history("prod", workflow_id)[13]["eventType"] == "TimerFired"
    assert swfsim.validate_history(sim.history("prod", workflow_id)) == []


def test_a_lambda_task_scheduled_in_production_runs_here() -> None:
    history = first(LAMBDA, 5)
    sim = simulator_for(history)
    sim.register_lambda("hello-world-python", lambda _payload: "42")
    workflow_id = sim.resume(history, domain="prod").execution["workflowId"]
    events = sim.history("prod", workflow_id)
    assert [e["eventType"] for e in events[5:]] == [
        "LambdaFunctionStarted",
        "LambdaFunctionCompleted",
        "DecisionTaskScheduled",
    ]
    assert events[6]["lambdaFunctionCompletedEventAttributes"]["result"] == "42"


def test_a_child_initiated_in_production_is_started_here() -> None:
    history = first(CHILD, 5)
    sim = simulator_for(history)
    child_type = history.attributes(5)["workflowType"]
    sim.handle("RegisterWorkflowType", {"domain": "prod", **child_type})
    workflow_id = sim.resume(history, domain="prod").execution["workflowId"]
    started = sim.history("prod", workflow_id)[5]
    assert started["eventType"] == "ChildWorkflowExecutionStarted"
    child = started["childWorkflowExecutionStartedEventAttributes"]["workflowExecution"]
    child_events = sim.history("prod", child["workflowId"])
    assert child_events[0]["workflowExecutionStartedEventAttributes"]["parentInitiatedEventId"] == 5
