"""load_history: every form a user has a history in gives the same History; what is not an SWF
event is refused with its event id."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from rpl_support import DOMAIN, REAL_FILES, REAL_HISTORIES, WORKFLOW, JsonDict, events_of
from werkzeug.test import Client

import swfsim
from swfsim.replay import HistoryError, load_history
from swfsim.transport import wire
from swfsim.transport.admin import admin_application
from swfsim.transport.http import Endpoint

TIMERS = REAL_HISTORIES / "simpleflow__test_timer_and_cancel.json"


def test_boto3_page_with_datetimes(sim: swfsim.Simulator, swf: Any, greeted: JsonDict) -> None:
    page = swf.get_workflow_execution_history(domain=DOMAIN, execution=greeted)
    assert isinstance(page["events"][0]["eventTimestamp"], datetime)
    history = load_history(page, execution=greeted)
    assert list(history.events) == sim.history(DOMAIN, greeted["workflowId"])
    assert history.execution == greeted


def test_pages_of_the_paginator(sim: swfsim.Simulator, swf: Any, greeted: JsonDict) -> None:
    paginator = swf.get_paginator("get_workflow_execution_history")
    pages = paginator.paginate(domain=DOMAIN, execution=greeted, maximumPageSize=4)
    history = load_history(pages)
    assert list(history.events) == sim.history(DOMAIN, greeted["workflowId"])


def test_newest_first_pages_are_put_in_order(
    sim: swfsim.Simulator, swf: Any, greeted: JsonDict
) -> None:
    paginator = swf.get_paginator("get_workflow_execution_history")
    pages = list(
        paginator.paginate(domain=DOMAIN, execution=greeted, maximumPageSize=4, reverseOrder=True)
    )
    assert pages[0]["events"][0]["eventId"] > pages[0]["events"][-1]["eventId"]
    assert list(load_history(pages).events) == sim.history(DOMAIN, greeted["workflowId"])


def test_aws_cli_v2_output_with_iso_timestamps(
    sim: swfsim.Simulator, swf: Any, greeted: JsonDict
) -> None:
    page = swf.get_workflow_execution_history(domain=DOMAIN, execution=greeted)
    # `aws swf get-workflow-execution-history` (CLI v2) prints ISO 8601 times with an offset.
    cli = {
        "events": [
            {**event, "eventTimestamp": event["eventTimestamp"].isoformat()}
            for event in page["events"]
        ]
    }
    text = json.dumps(cli, indent=4)
    assert list(load_history(text.encode()).events) == sim.history(DOMAIN, greeted["workflowId"])


def test_wire_bytes_with_java_timestamps(sim: swfsim.Simulator, greeted: JsonDict) -> None:
    events = sim.history(DOMAIN, greeted["workflowId"])
    body = wire.encode({"events": events, "nextPageToken": None})
    assert b"E9," in body  # eventTimestamp as Java writes it: 1.76722560E9
    assert list(load_history(body).events) == events


def test_a_path_to_a_real_history_and_the_run_it_names() -> None:
    history = load_history(TIMERS)
    assert len(history) == 17
    assert history.source == str(TIMERS)
    assert history.execution == {
        "workflowId": "test-simpleflow-workflow",
        "runId": "22uyVUDaasNO8Dbs8ei1FBS3LbRenpgCwZEOl+oVaaTj4=",
    }
    assert history.event(1)["eventTimestamp"] == 1492443961.284
    assert load_history(str(TIMERS)).events == history.events


def test_a_list_of_events_and_an_existing_history() -> None:
    history = load_history(events_of(TIMERS))
    assert history.events == load_history(TIMERS).events
    assert history.execution is None
    assert load_history(history) is history


def test_the_export_of_swfsim_serve(sim: swfsim.Simulator, greeted: JsonDict) -> None:
    # GET /_swfsim/history, as `swfsim history --json` and the admin API answer it.
    admin = Client(admin_application(Endpoint(lambda: sim)))
    answer = admin.get(f"/_swfsim/history?domain={DOMAIN}&workflowId={greeted['workflowId']}")
    assert answer.status_code == 200
    history = load_history(answer.get_data())
    assert list(history.events) == sim.history(DOMAIN, greeted["workflowId"])
    assert list(load_history(answer.get_json()["events"]).events) == list(history.events)


def test_what_a_history_tells() -> None:
    history = load_history(TIMERS)
    assert history.workflow_type == {"name": "example", "version": "example"}
    assert history.close_event is not None
    assert history.close_event["eventType"] == "WorkflowExecutionCompleted"
    assert history.attributes(5)["timerId"] == "timer 2"
    assert [
        (task.started_id, task.previous_started_id, task.closed_id, task.decision_ids)
        for task in history.decision_tasks
    ] == [(3, 0, 4, (5, 6)), (9, 3, 10, (11, 12)), (15, 9, 16, (17,))]
    with pytest.raises(IndexError, match="has no event 18"):
        history.event(18)


def test_a_timed_out_decision_task_is_not_the_previous_started_one() -> None:
    tasks = load_history(REAL_HISTORIES / "WaterFlow__getting-started.json").decision_tasks
    assert [(t.started_id, t.completed, t.previous_started_id) for t in tasks] == [
        (3, False, 0),
        (6, True, 0),
        (12, True, 6),
    ]


def test_an_open_run_has_an_open_decision_task(sim: swfsim.Simulator, swf: Any) -> None:
    swf.start_workflow_execution(domain=DOMAIN, workflowId="open", workflowType=WORKFLOW)
    swf.poll_for_decision_task(domain=DOMAIN, taskList={"name": "deciders"})
    history = load_history(sim.history(DOMAIN, "open"))
    assert history.close_event is None
    assert history.decision_tasks[-1].closed_id is None


@pytest.mark.parametrize("path", REAL_FILES, ids=lambda path: path.stem)
def test_every_real_history_loads(path: Path) -> None:
    history = load_history(path)
    assert [event["eventId"] for event in history.events] == list(range(1, len(history) + 1))
    assert history.workflow_type is not None


def _broken(change: Any) -> list[JsonDict]:
    events = events_of(TIMERS)
    change(events)
    return events


@pytest.mark.parametrize(
    ("events", "message"),
    [
        (
            _broken(lambda e: e[6].update(eventType="TimerRang")),
            "event 7: 'TimerRang' is not an SWF event type",
        ),
        (
            _broken(
                lambda e: e[6].update(
                    timerStartedEventAttributes=e[6].pop("timerFiredEventAttributes")
                )
            ),
            "event 7 (TimerFired): its attributes belong under 'timerFiredEventAttributes', not "
            "'timerStartedEventAttributes'",
        ),
        (
            _broken(lambda e: e[6].pop("timerFiredEventAttributes")),
            "event 7 (TimerFired): 'timerFiredEventAttributes' is missing",
        ),
        (
            _broken(lambda e: e[6].update(eventTimestamp="yesterday")),
            "event 7: eventTimestamp 'yesterday' is neither epoch seconds nor ISO 8601",
        ),
        (
            _broken(lambda e: e[6].update(eventId="7")),
            "item 7 of the events has no integer eventId: '7'",
        ),
        ([], "the source holds no events"),
    ],
    ids=["unknown type", "wrong key", "no attributes", "bad time", "string id", "empty"],
)
def test_what_is_not_an_swf_event_is_refused(events: list[JsonDict], message: str) -> None:
    with pytest.raises(HistoryError) as refused:
        load_history(events)
    assert str(refused.value) == message


def test_a_mapping_without_events_and_text_that_is_not_json(tmp_path: Path) -> None:
    with pytest.raises(HistoryError, match=r"must have an 'events' list .* \['executionInfo'\]"):
        load_history({"executionInfo": {}})
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(HistoryError, match=r"bad\.json is not JSON"):
        load_history(bad)


def test_broken_links_still_load() -> None:
    # How events refer to each other is validate_history's job, not load_history's.
    events = _broken(lambda e: e[6]["timerFiredEventAttributes"].update(startedEventId=99))
    assert load_history(events).attributes(7)["startedEventId"] == 99


def test_timestamps_to_the_millisecond_from_every_form() -> None:
    moment = datetime(2017, 4, 17, 15, 46, 1, 284000, tzinfo=timezone.utc)
    forms = [
        moment,
        1492443961.284,
        1492443961.2841,  # SWF keeps milliseconds
        "1.492443961284E9",
        "2017-04-17T17:46:01.284+02:00",
        "2017-04-17T15:46:01.284Z",
        datetime(2017, 4, 17, 15, 46, 1, 284000),  # naive: taken as UTC
    ]
    for form in forms:
        event = {**events_of(TIMERS)[0], "eventTimestamp": form}
        assert load_history([event]).events[0]["eventTimestamp"] == 1492443961.284, form
