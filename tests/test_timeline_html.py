"""to_html and simulator_to_html draw runs as pages whose structure a reader relies on: a lane per
task, bars coloured by outcome, child runs nested and linked, quiet stretches compressed, every
event's attributes at hand, and nothing fetched from anywhere."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from typing import Any

import pytest
from html_tree import Element, parse
from timeline_runs import DOMAIN, trip_simulator

from swfsim import Simulator
from swfsim.timeline import simulator_to_html, to_html
from swfsim.timeline._html import COLOURS

THIRTY_DAYS_MS = 30 * 86_400_000


@pytest.fixture(scope="module")
def trip() -> Simulator:
    return trip_simulator()


@pytest.fixture(scope="module")
def page(trip: Simulator) -> Element:
    return parse(simulator_to_html(trip))


def _lane(root: Element, kind: str, name: str) -> Element:
    (lane,) = root.find_all("g", class_="lane", data_kind=kind, data_name=name)
    return lane


def _bars(lane: Element) -> list[Element]:
    return lane.find_all("g", class_="bar")


def _outcomes(lane: Element) -> list[str]:
    return [bar.attrs["data-outcome"] for bar in _bars(lane)]


def _parent(page: Element) -> Element:
    (section,) = [s for s in page.find_all("section", class_="run") if "trip-7 " in s.all_text()]
    return section


def test_one_lane_per_activity_timer_lambda_and_child_in_history_order(page: Element) -> None:
    parent = _parent(page)
    own = [
        lane
        for lane in parent.children[1].find_all("g", class_="lane")
        if "data-name" in lane.attrs
    ]
    assert [(lane.attrs["data-kind"], lane.attrs["data-name"]) for lane in own] == [
        ("run", "workflow run"),
        ("activity", "charge-1"),
        ("activity", "hotel"),
        ("activity", "charge-2"),
        ("lambda", "quote"),
        ("timer", "spare"),
        ("timer", "cool-off"),
        ("child", "trip-7-visa"),
    ]


def test_bars_are_coloured_by_outcome_with_the_timeout_type(page: Element) -> None:
    parent = _parent(page)
    assert _outcomes(_lane(parent, "activity", "charge-1")) == ["failed"]
    assert _outcomes(_lane(parent, "activity", "charge-2")) == ["completed"]
    assert _outcomes(_lane(parent, "timer", "spare")) == ["canceled"]
    assert _outcomes(_lane(parent, "timer", "cool-off")) == ["completed"]
    (hotel,) = _bars(_lane(parent, "activity", "hotel"))
    assert hotel.attrs["data-outcome"] == "timed-out"
    assert hotel.attrs["data-detail"] == "START_TO_CLOSE"
    assert "START_TO_CLOSE" in hotel.all_text()
    assert hotel.find_all("title")[0].text.splitlines() == [
        "activity hotel: timed out (START_TO_CLOSE)",
        "+0d 00:00:00.000 7 ActivityTaskScheduled activityId=hotel activityType=hotel/1",
        "+0d 00:00:00.000 22 ActivityTaskStarted activityId=hotel",
        "+0d 00:02:00.000 36 ActivityTaskTimedOut activityId=hotel timeoutType=START_TO_CLOSE",
    ]
    assert {rect.attrs["fill"] for rect in hotel.find_all("rect")} == {COLOURS["timed-out"]}
    (failed,) = _bars(_lane(parent, "activity", "charge-1"))
    assert {rect.attrs["fill"] for rect in failed.find_all("rect")} == {COLOURS["failed"]}
    legend = {key.attrs["data-outcome"] for key in page.find_all("span", class_="key")}
    assert legend == set(COLOURS)


def test_a_bar_waits_pale_until_a_worker_starts_the_task(page: Element) -> None:
    (hotel,) = _bars(_lane(_parent(page), "activity", "hotel"))
    wait, body = hotel.find_all("rect")
    assert (wait.attrs["class"], body.attrs["class"]) == ("wait", "body")
    assert float(wait.attrs["x"]) < float(body.attrs["x"])
    assert float(body.attrs["width"]) > float(wait.attrs["width"])  # ran 120 s, waited none


def test_child_runs_are_nested_under_their_parent_and_linked(
    page: Element, trip: Simulator
) -> None:
    child_run = trip.engine.runs[(DOMAIN, "trip-7-visa", _run_id(trip, "trip-7-visa"))]
    parent = _parent(page)
    (link,) = parent.children[1].find_all("a", class_="child-link")
    assert link.attrs["href"] == f"#run-{child_run.run_id}"
    (nested,) = parent.find_all("div", class_="children")
    (child,) = nested.find_all("section", class_="run")
    assert child.attrs["id"] == f"run-{child_run.run_id}"
    assert "trip-7-visa" in child.children[0].all_text()
    assert _outcomes(_lane(child, "activity", "stamp")) == ["completed"]


def _run_id(sim: Simulator, workflow_id: str) -> str:
    (run_id,) = [rid for (_, wid, rid) in sim.engine.runs if wid == workflow_id]
    return run_id


def test_decision_tasks_are_ticks_and_signals_and_markers_flags(
    page: Element, trip: Simulator
) -> None:
    parent = _parent(page).children[1]
    events = trip.history(DOMAIN, "trip-7")
    completed = [e["eventId"] for e in events if e["eventType"] == "DecisionTaskCompleted"]
    ticks = parent.find_all("g", class_="tick")
    assert [int(tick.attrs["data-events"]) for tick in ticks] == completed
    flags = {
        (f.attrs["data-type"], f.find_all("title")[0].text)
        for f in parent.find_all("g", class_="flag")
    }
    assert flags == {  # hovering shows each event as the text timeline does
        ("WorkflowExecutionSignaled", "+0d 00:00:00.000 3 WorkflowExecutionSignaled "
         "signalName=passport-scanned"),
        ("MarkerRecorded", "+0d 00:02:00.000 41 MarkerRecorded markerName=hotel-lost details={}"),
    }  # fmt: skip


def test_a_long_quiet_stretch_is_a_labelled_break_of_fixed_width(page: Element) -> None:
    parent = _parent(page).children[1]
    (gap,) = parent.find_all("g", class_="break")
    assert gap.attrs["data-elapsed-ms"] == str(THIRTY_DAYS_MS)
    assert gap.find_all("text")[0].text == "30d 00:00:00"
    (cool_off,) = _bars(_lane(parent, "timer", "cool-off"))
    # 30 days drawn in the break's width (plus a step), not in thousands of pixels.
    assert float(cool_off.find_all("rect")[0].attrs["width"]) < 100


def test_the_break_threshold_is_a_parameter(trip: Simulator) -> None:
    history = trip.history(DOMAIN, "trip-7")
    breaks = parse(to_html(history, compress_after=60)).find_all("g", class_="break")
    # The 2-minute hotel timeout is quiet for 118 s after the Lambda task: a second break.
    assert sorted(int(b.attrs["data-elapsed-ms"]) for b in breaks) == [118_000, THIRTY_DAYS_MS]


def test_every_drawn_element_names_events_the_page_holds(page: Element, trip: Simulator) -> None:
    (script,) = page.find_all("script", id="swfsim-events")
    data = json.loads(script.text)
    for section in page.find_all("section", class_="run"):
        events = data[section.attrs["data-run"]]
        for element in section.children[1].find_all():
            for event_id in element.attrs.get("data-events", "").split():
                assert events[event_id]["eventId"] == int(event_id)
    parent_data = data[_parent(page).attrs["data-run"]]
    assert len(parent_data) == len(trip.history(DOMAIN, "trip-7"))
    timed_out = next(e for e in parent_data.values() if e["eventType"] == "ActivityTaskTimedOut")
    assert timed_out["activityTaskTimedOutEventAttributes"]["timeoutType"] == "START_TO_CLOSE"
    assert timed_out["offset"] == "+0d 00:02:00.000"


def test_the_page_fetches_nothing(trip: Simulator) -> None:
    html = simulator_to_html(trip)
    tree = parse(html)
    assert tree.find_all("link") == []
    assert all("src" not in element.attrs for element in tree.iter())
    hrefs = [a.attrs["href"] for a in tree.find_all("a")]
    assert hrefs
    assert all(href.startswith("#run-") for href in hrefs)
    (policy,) = tree.find_all("meta", http_equiv="Content-Security-Policy")
    assert policy.attrs["content"].startswith("default-src 'none';")
    assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", html)


def test_names_and_values_cannot_break_out_of_the_page() -> None:
    hostile = '</script><script>alert(1)</script><b x="'
    events = trip_simulator().history(DOMAIN, "trip-7")
    events[-1]["workflowExecutionCompletedEventAttributes"]["result"] = hostile
    events[5]["activityTaskScheduledEventAttributes"]["activityId"] = hostile
    html = to_html(events, title=hostile)
    tree = parse(html)
    assert [s.attrs.get("id") for s in tree.find_all("script")] == ["swfsim-events", None]
    assert tree.find_all("b") == []
    data = json.loads(tree.find_all("script", id="swfsim-events")[0].text)
    assert (
        data["0.0"][str(events[-1]["eventId"])]["workflowExecutionCompletedEventAttributes"][
            "result"
        ]
        == hostile
    )
    assert _lane(tree, "activity", hostile)


def test_to_html_reads_boto3_histories_and_nests_the_children_given(trip: Simulator) -> None:
    def as_boto3(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            {**e, "eventTimestamp": datetime.fromtimestamp(e["eventTimestamp"], timezone.utc)}
            for e in events
        ]

    child_run = _run_id(trip, "trip-7-visa")
    html = to_html(
        as_boto3(trip.history(DOMAIN, "trip-7")),
        children={child_run: as_boto3(trip.history(DOMAIN, "trip-7-visa"))},
    )
    tree = parse(html)
    assert tree.find_all("title")[0].text == "trip 1"
    (child,) = tree.find_all("section", id=f"run-{child_run}")
    assert "child trip-7-visa" in child.children[0].all_text()
    assert tree.find_all("a", href=f"#run-{child_run}")


def test_an_open_run_shows_open_bars_and_can_refresh() -> None:
    sim = trip_simulator()
    sim.handle(
        "StartWorkflowExecution",
        {
            "domain": DOMAIN,
            "workflowId": "trip-8",
            "workflowType": {"name": "trip", "version": "1"},
        },
    )
    tree = parse(to_html(sim.history(DOMAIN, "trip-8"), refresh_seconds=2))
    (section,) = tree.find_all("section", class_="run")
    assert section.attrs["data-outcome"] == "open"
    assert _outcomes(_lane(tree, "run", "workflow run")) == ["open"]
    (refresh,) = tree.find_all("meta", http_equiv="refresh")
    assert refresh.attrs["content"] == "2"


def test_a_child_run_is_drawn_within_its_bar_in_the_parent(page: Element) -> None:
    def span(bar: Element) -> tuple[float, float]:
        rects = bar.find_all("rect")
        left = min(float(r.attrs["x"]) for r in rects)
        return left, max(float(r.attrs["x"]) + float(r.attrs["width"]) for r in rects)

    parent = _parent(page)
    (child_bar,) = _bars(_lane(parent.children[1], "child", "trip-7-visa"))
    (child,) = parent.find_all("div", class_="children")[0].find_all("section", class_="run")
    (child_run,) = _bars(_lane(child, "run", "workflow run"))
    # The same axis: the child's section is indented, its drawing shifted back by as much.
    (shifted,) = [g for g in child.children[1].children if g.tag == "g"]
    assert shifted.attrs["transform"] == "translate(-37,0)"
    (started, closed), (first, last) = span(child_bar), span(child_run)
    assert started < first < last <= closed
