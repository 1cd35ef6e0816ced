"""How fast a 2,000-event history becomes an HTML timeline, and how fast chromium draws it.

The workflow runs 26 rounds; each schedules 12 activities (one in four fails, one in six hangs
until its 5-minute START_TO_CLOSE timeout) and a timer of 1 to 90 minutes, so the page has 330
bars in as many lanes, ticks, and quiet stretches to compress. Prints the number of events, the
median time of ``swfsim.timeline.to_html`` and of chromium's load (navigation start to the
first layout, measured by the page itself with ``performance.now()``, median of several loads).

Run: python benchmarks/bench_timeline_html.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from swfsim import Simulator
from swfsim.harness import ActivityContext, ActivityFailed, DecisionTask, Hang
from swfsim.timeline import to_html

DOMAIN = "bench"
ROUNDS = 26
PER_ROUND = 12
_MEASURE = """<script>
window.addEventListener("load", function () {
  document.body.getBoundingClientRect();
  document.body.setAttribute("data-load-ms", String(performance.now()));
});
</script></body>"""


def _decide(task: DecisionTask) -> list[dict[str, Any]]:
    fired = sum(event["eventType"] == "TimerFired" for event in task.events)
    if fired == ROUNDS:
        return [{"decisionType": "CompleteWorkflowExecution"}]
    first = task.previous_started_event_id == 0
    if not first and not any(event["eventType"] == "TimerFired" for event in task.new_events):
        return []  # an activity closed: the round goes on until its timer fires
    decisions: list[dict[str, Any]] = [
        {
            "decisionType": "ScheduleActivityTask",
            "scheduleActivityTaskDecisionAttributes": {
                "activityId": f"step-{fired}-{index}",
                "activityType": {"name": "step", "version": "1"},
                "input": str(index),
            },
        }
        for index in range(PER_ROUND)
    ]
    decisions.append(
        {
            "decisionType": "StartTimer",
            "startTimerDecisionAttributes": {
                "timerId": f"wait-{fired}",
                "startToFireTimeout": str(60 * (1 + fired * 7 % 90)),
            },
        }
    )
    return decisions


def _step(context: ActivityContext) -> str:
    index = int(context.input or 0)
    if index % 4 == 1:
        raise ActivityFailed("Flaky", "step failed")
    if index % 6 == 5:
        raise Hang()
    return "done"


def big_history() -> list[dict[str, Any]]:
    sim = Simulator(seed=1)
    sim.handle("RegisterDomain", {"name": DOMAIN, "workflowExecutionRetentionPeriodInDays": "1"})
    sim.handle(
        "RegisterWorkflowType",
        {
            "domain": DOMAIN,
            "name": "big",
            "version": "1",
            "defaultTaskList": {"name": "big"},
            "defaultExecutionStartToCloseTimeout": str(30 * 86400),
            "defaultTaskStartToCloseTimeout": "60",
            "defaultChildPolicy": "TERMINATE",
        },
    )
    sim.handle(
        "RegisterActivityType",
        {
            "domain": DOMAIN,
            "name": "step",
            "version": "1",
            "defaultTaskList": {"name": "steps"},
            "defaultTaskScheduleToStartTimeout": "NONE",
            "defaultTaskScheduleToCloseTimeout": "NONE",
            "defaultTaskStartToCloseTimeout": "300",
            "defaultTaskHeartbeatTimeout": "NONE",
        },
    )
    sim.decider(DOMAIN, "big", _decide)
    sim.activity(DOMAIN, "step", _step)
    sim.handle(
        "StartWorkflowExecution",
        {"domain": DOMAIN, "workflowId": "big-1", "workflowType": {"name": "big", "version": "1"}},
    )
    sim.run()
    return sim.history(DOMAIN, "big-1")


def _browser_ms(page: Path, profile: Path) -> float:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("chromium is not installed (apt-get install -y chromium)")
    done = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    found = re.search(r'data-load-ms="([\d.]+)"', done.stdout)
    if found is None:
        raise SystemExit("the page did not report its load time")
    return float(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    history = big_history()
    python_s = []
    for _ in range(args.repeats):
        began = time.perf_counter()
        html = to_html(history)
        python_s.append(time.perf_counter() - began)
    with tempfile.TemporaryDirectory() as scratch:
        page = Path(scratch) / "big.html"
        page.write_text(html.replace("</body>", _MEASURE))
        browser_ms = [_browser_ms(page, Path(scratch) / "profile") for _ in range(args.repeats)]
    print(f"history: {len(history)} events; page: {len(html) / 1024:.0f} KiB")
    print(f"to_html: median {statistics.median(python_s) * 1000:.0f} ms")
    print(f"chromium, navigation to first layout: median {statistics.median(browser_ms):.0f} ms")


if __name__ == "__main__":
    main()
