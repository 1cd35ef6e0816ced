"""``swfsim demo --html`` and ``swfsim timeline``: the pages they write, from each source."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from html_tree import Element, parse
from timeline_runs import DOMAIN, trip_simulator

from swfsim import Simulator, journal, mock_swf
from swfsim.cli import main
from swfsim.server import Server


def _lanes(page: Element) -> list[tuple[str, str]]:
    return [
        (lane.attrs["data-kind"], lane.attrs["data-name"])
        for lane in page.find_all("g", class_="lane")
        if "data-name" in lane.attrs
    ]


def _sections(page: Element) -> list[str]:
    return [section.children[0].all_text() for section in page.find_all("section", class_="run")]


def test_demo_writes_its_timeline_and_still_prints_the_text_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.html"
    assert main(["demo", "--html", str(out)]) == 0
    printed = capsys.readouterr()
    assert "WorkflowExecutionCompleted" in printed.out
    assert f"Timeline written to {out}" in printed.err
    page = parse(out.read_text())
    assert page.find_all("title")[0].text == "swfsim demo: order-1042 (seed 0)"
    assert _lanes(page) == [
        ("run", "workflow run"),
        ("activity", "charge-card-1"),
        ("activity", "charge-card-2"),
        ("activity", "pay-seller-1"),
        ("timer", "retry-charge-card-2"),
        ("timer", "return-window"),
    ]
    (failed,) = page.find_all("g", class_="bar", data_outcome="failed")
    assert failed.attrs["data-events"] == "5 6 7"


def test_demo_refuses_a_path_it_cannot_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--html", str(tmp_path / "missing" / "out.html")]) == 2
    assert "swfsim: demo: cannot write" in capsys.readouterr().err


def test_timeline_of_a_history_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sim = trip_simulator()
    history = tmp_path / "history.json"
    history.write_text(json.dumps({"events": sim.history(DOMAIN, "trip-7")}))
    assert main(["timeline", str(history)]) == 0
    assert "ActivityTaskTimedOut" in capsys.readouterr().out
    out = tmp_path / "trip.html"
    assert main(["timeline", str(history), "--html", str(out)]) == 0
    page = parse(out.read_text())
    assert ("activity", "hotel") in _lanes(page)
    assert _sections(page) == ["completed trip 1"]


def test_timeline_of_a_snapshot_draws_every_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    snapshot = tmp_path / "state.json"
    snapshot.write_text(json.dumps(journal.snapshot(trip_simulator(journal=True))))
    out = tmp_path / "state.html"
    assert main(["timeline", str(snapshot), "--html", str(out)]) == 0
    sections = _sections(parse(out.read_text()))
    assert [text.split(" (run")[0] for text in sections] == [
        "completed trip-7",
        "completed trip-7-visa",
    ]


@pytest.fixture
def served() -> Iterator[tuple[Simulator, str]]:
    sim = trip_simulator()
    server = Server(lambda: sim, with_s3=False).start()
    try:
        yield sim, server.url
    finally:
        server.stop()


def test_timeline_from_an_endpoint_fetches_the_child_runs(
    served: tuple[Simulator, str], tmp_path: Path
) -> None:
    sim, url = served
    out = tmp_path / "served.html"
    argv = ["timeline", "--endpoint", url, "--domain", DOMAIN, "--workflow-id", "trip-7"]
    assert main([*argv, "--html", str(out)]) == 0
    page = parse(out.read_text())
    (child_run,) = [rid for (_, wid, rid) in sim.engine.runs if wid == "trip-7-visa"]
    assert page.find_all("section", id=f"run-{child_run}")
    assert page.find_all("a", href=f"#run-{child_run}")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[1, 2]", "is neither a history"),
        ("{oops", "is not JSON"),
        ('{"format": "nope"}', "not a swfsim snapshot"),
    ],
)
def test_timeline_refuses_files_it_cannot_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    given = tmp_path / "given.json"
    given.write_text(content)
    assert main(["timeline", str(given)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"swfsim: timeline: {given}")
    assert message in err


def test_timeline_without_a_source_says_what_to_give(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["timeline", "--endpoint", "http://127.0.0.1:9"]) == 2
    assert "give a history or snapshot FILE, or --domain and --workflow-id" in (
        capsys.readouterr().err
    )


def test_timeline_takes_a_file_or_an_endpoint_not_both(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    given = tmp_path / "history.json"
    given.write_text("[]")
    assert main(["timeline", str(given), "--workflow-id", "trip-7"]) == 2
    assert capsys.readouterr().err == (
        "swfsim: timeline: give either a FILE, or --endpoint with --domain and --workflow-id\n"
    )


def test_timeline_of_a_boto3_history_saved_as_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sim = trip_simulator()
    (run_id,) = [rid for (_, wid, rid) in sim.engine.runs if wid == "trip-7-visa"]
    with mock_swf(sim):
        client = boto3.client("swf", region_name="us-east-1")
        events = client.get_workflow_execution_history(
            domain=DOMAIN, execution={"workflowId": "trip-7-visa", "runId": run_id}
        )["events"]
    saved = tmp_path / "boto3.json"
    saved.write_text(json.dumps({"events": events}, default=str))  # datetimes as text
    assert main(["timeline", str(saved)]) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert last.split() == [
        "+0d",
        "00:00:00.000",
        "11",
        "WorkflowExecutionCompleted",
        "result=stamped",
    ]
    out = tmp_path / "boto3.html"
    assert main(["timeline", str(saved), "--html", str(out)]) == 0
    assert ("activity", "stamp") in _lanes(parse(out.read_text()))
