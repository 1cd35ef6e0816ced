"""The same calls with the same seed give byte-identical answers; the seed alone changes ids."""

from __future__ import annotations

from api_helpers import DOMAIN, START, Driver, checked_client, schedule_activity, start_timer

import swfsim


def scripted_run(seed: int) -> dict:
    """A workflow with an activity, a heartbeat, a timer and a signal; returns what a user sees."""
    sim = swfsim.Simulator(seed=seed, start=START)
    with swfsim.mock_swf(sim):
        driver = Driver(checked_client(), sim).setup()
        swf = driver.swf
        execution = driver.start(input="order #1")
        first = driver.poll_decision(identity="decider")
        driver.decide(first, schedule_activity("charge"), start_timer("remind", 30))
        activity = driver.poll_activity(identity="worker")
        swf.record_activity_task_heartbeat(taskToken=activity["taskToken"], details="half")
        sim.clock.advance(12.345)
        swf.respond_activity_task_completed(taskToken=activity["taskToken"], result="ok")
        swf.signal_workflow_execution(domain=DOMAIN, workflowId="order-1", signalName="go")
        second = driver.poll_decision(identity="decider")
        driver.decide(second, executionContext="waiting for the reminder")
        sim.clock.advance(30)
        third = driver.poll_decision(identity="decider")  # the timer fired meanwhile
        driver.decide(third, {"decisionType": "CompleteWorkflowExecution"})
        history = swf.get_workflow_execution_history(domain=DOMAIN, execution=execution)
        return {
            "runId": execution["runId"],
            "tokens": [
                first["taskToken"],
                activity["taskToken"],
                second["taskToken"],
                third["taskToken"],
            ],
            "history": history,
        }


def test_same_seed_same_answers():
    first, second = scripted_run(seed=7), scripted_run(seed=7)

    assert first == second  # events, runIds, tokens, even the request ids of the response
    assert first["history"]["ResponseMetadata"]["RequestId"]
    assert len(set(first["tokens"])) == 4


def test_other_seed_other_ids_same_behaviour():
    first, second = scripted_run(seed=7), scripted_run(seed=8)

    assert first["runId"] != second["runId"]
    assert set(first["tokens"]).isdisjoint(second["tokens"])
    assert first["history"]["events"] == second["history"]["events"]
    assert [e["eventType"] for e in first["history"]["events"]][-5:] == [
        "TimerFired",
        "DecisionTaskScheduled",
        "DecisionTaskStarted",
        "DecisionTaskCompleted",
        "WorkflowExecutionCompleted",
    ]
