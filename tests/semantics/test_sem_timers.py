"""Timers: start, fire, cancel, and the StartTimer/CancelTimer failures (SWF API Reference:
StartTimerDecisionAttributes, CancelTimerDecisionAttributes; Developer Guide: swf-dg-timers.html,
and swf-dg-limits.html for the open timers quota)."""

from __future__ import annotations

from sem_support import Flow, at, cancel_timer, covers, start_timer

BLOCK = [
    "WorkflowExecutionStarted",
    "DecisionTaskScheduled",
    "DecisionTaskStarted",
    "DecisionTaskCompleted",
]


@covers("TimerStarted", "TimerFired")
def test_timer_fires(flow: Flow) -> None:
    run_id = flow.start("w")
    flow.decide(start_timer("t1", 30, control="ctl"), start_timer("t0", 0))
    flow.sim.clock.advance(29.999)
    history = flow.history("w", run_id)
    # A zero-second timer fires at once; neither TimerStarted asks for a decision.
    assert history.types == [
        *BLOCK,
        "TimerStarted",
        "TimerStarted",
        "TimerFired",
        "DecisionTaskScheduled",
    ]
    assert history[5] == {
        "timerId": "t1",
        "control": "ctl",
        "startToFireTimeout": "30",
        "decisionTaskCompletedEventId": 4,
    }
    assert history[6] == {
        "timerId": "t0",
        "startToFireTimeout": "0",
        "decisionTaskCompletedEventId": 4,
    }
    assert history[7] == {"timerId": "t0", "startedEventId": 6}
    flow.decide()
    flow.sim.clock.advance(0.001)
    history = flow.history("w", run_id)
    assert history.types[8:] == [
        "DecisionTaskStarted",
        "DecisionTaskCompleted",
        "TimerFired",
        "DecisionTaskScheduled",
    ]
    assert history[11] == {"timerId": "t1", "startedEventId": 5}
    assert history.time(11) == history.time(12) == at(30)


@covers("TimerCanceled")
def test_timer_canceled(flow: Flow) -> None:
    run_id = flow.start("w")
    flow.decide(start_timer("t1", 30))
    flow.signal("w", "stop waiting")
    flow.decide(cancel_timer("t1"))
    flow.sim.clock.advance(60)
    history = flow.history("w", run_id)
    assert history.types[4:] == [
        "TimerStarted",
        "WorkflowExecutionSignaled",
        "DecisionTaskScheduled",
        "DecisionTaskStarted",
        "DecisionTaskCompleted",
        "TimerCanceled",
    ]
    assert history[10] == {"timerId": "t1", "startedEventId": 5, "decisionTaskCompletedEventId": 9}
    assert flow.describe("w", run_id)["openCounts"]["openTimers"] == 0


@covers("StartTimerFailed", causes=("StartTimerFailedCause.TIMER_ID_ALREADY_IN_USE",))
def test_start_timer_with_an_open_timer_id(flow: Flow) -> None:
    run_id = flow.start("w")
    flow.decide(start_timer("t1", 10), start_timer("t1", 20))
    history = flow.history("w", run_id)
    assert history.types == [*BLOCK, "TimerStarted", "StartTimerFailed", "DecisionTaskScheduled"]
    assert history[6] == {
        "timerId": "t1",
        "cause": "TIMER_ID_ALREADY_IN_USE",
        "decisionTaskCompletedEventId": 4,
    }
    # A fired timer's id may be used again (only open timers count).
    flow.sim.clock.advance(10)
    flow.decide(start_timer("t1", 5))
    assert flow.history("w", run_id).types[-1] == "TimerStarted"


@covers("StartTimerFailed", causes=("StartTimerFailedCause.OPEN_TIMERS_LIMIT_EXCEEDED",))
def test_start_timer_beyond_1000_open_timers(flow: Flow) -> None:
    run_id = flow.start("w")
    flow.decide(*(start_timer(f"t{index}", 100) for index in range(1001)))
    history = flow.history("w", run_id)
    assert history.types == [
        *BLOCK,
        *["TimerStarted"] * 1000,
        "StartTimerFailed",
        "DecisionTaskScheduled",
    ]
    assert history[1005] == {
        "timerId": "t1000",
        "cause": "OPEN_TIMERS_LIMIT_EXCEEDED",
        "decisionTaskCompletedEventId": 4,
    }
    assert flow.describe("w", run_id)["openCounts"]["openTimers"] == 1000


@covers("CancelTimerFailed", causes=("CancelTimerFailedCause.TIMER_ID_UNKNOWN",))
def test_cancel_timer_that_is_not_open(flow: Flow) -> None:
    run_id = flow.start("w")
    flow.decide(start_timer("t1", 10))
    flow.sim.clock.advance(10)
    # t1 fired before the decider saw it: canceling it fails, as does an id never used.
    flow.decide(cancel_timer("t1"), cancel_timer("ghost"))
    history = flow.history("w", run_id)
    assert history.types[4:] == [
        "TimerStarted",
        "TimerFired",
        "DecisionTaskScheduled",
        "DecisionTaskStarted",
        "DecisionTaskCompleted",
        "CancelTimerFailed",
        "CancelTimerFailed",
        "DecisionTaskScheduled",
    ]
    assert history[10] == {
        "timerId": "t1",
        "cause": "TIMER_ID_UNKNOWN",
        "decisionTaskCompletedEventId": 9,
    }
    assert history[11] == {
        "timerId": "ghost",
        "cause": "TIMER_ID_UNKNOWN",
        "decisionTaskCompletedEventId": 9,
    }
