"""simpleflow workflows and activities the e2e tests run against ``swfsim serve``.

This module is imported by simpleflow's processes (``simpleflow standalone e2e_flows.<Class>``),
with ``tests/e2e/workflows`` on their PYTHONPATH; the tests only read its names and constants.
It talks to AWS only through simpleflow and plain boto3 clients, so ``AWS_ENDPOINT_URL`` is the
only thing that points it at swfsim.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import boto3
from simpleflow import Workflow, activity, futures
from simpleflow.canvas import Chain, Group
from simpleflow.constants import DAY, HOUR
from simpleflow.step.submittable import Step
from simpleflow.step.workflow import WorkflowStepMixin
from simpleflow.task import ActivityTask

VERSION = "e2e"
TASK_LIST = "e2e"  # `simpleflow standalone` replaces it with a task list of its own
STEP_BUCKET = "swfsim-e2e-steps"


def _activity(**attributes: Any) -> Any:
    return activity.with_attributes(task_list=TASK_LIST, version=VERSION, **attributes)


# --- Activities -----------------------------------------------------------------------------


@_activity()
def increment(x: int) -> int:
    return x + 1


@_activity()
def double(x: int) -> int:
    return x * 2


@_activity(retry=3, raises_on_failure=True)
def flaky(counter: str, failures: int) -> int:
    """Fail the first ``failures`` attempts; the attempts are counted in the file ``counter``."""
    path = Path(counter)
    attempt = int(path.read_text()) + 1 if path.exists() else 1
    path.write_text(str(attempt))
    if attempt <= failures:
        raise RuntimeError(f"attempt {attempt} fails on purpose")
    return attempt


@_activity()
def request_my_cancellation() -> str:
    """Ask SWF to cancel the run this activity belongs to, as an operator would."""
    context = request_my_cancellation.context
    boto3.client("swf").request_cancel_workflow_execution(
        domain=context["domain_name"], workflowId=context["workflow_id"], runId=context["run_id"]
    )
    return "cancel requested"


# --- Activities and results -----------------------------------------------------------------


class ChainWorkflow(Workflow):
    """Results passed from one activity to the next, by future and by ``Chain(send_result)``."""

    name = "e2e-chain"
    version = VERSION
    task_list = TASK_LIST

    def run(self, x: int) -> dict[str, Any]:
        y = self.submit(increment, x)
        z = self.submit(double, y)  # a future as an argument: scheduled once y is done
        chain = self.submit(
            Chain(ActivityTask(increment, z.result), ActivityTask(double), send_result=True)
        )
        return {"pipeline": z.result, "chain": chain.result}


class RetryWorkflow(Workflow):
    """An activity that fails ``failures`` times, retried up to 3 times by simpleflow."""

    name = "e2e-retry"
    version = VERSION
    task_list = TASK_LIST

    def run(self, counter: str, failures: int) -> int:
        return self.submit(flaky, counter, failures).result


# --- Markers and timers ---------------------------------------------------------------------


class MarkerWorkflow(Workflow):
    name = "e2e-markers"
    version = VERSION
    task_list = TASK_LIST

    def run(self) -> list[list[Any]]:
        futures.wait(
            self.submit(
                Chain(
                    self.record_marker("started", {"step": 1}),
                    self.record_marker("halfway", "some details"),
                )
            )
        )
        futures.wait(self.submit(self.record_marker("finished")))
        return sorted([m.name, m.details] for m in self.list_markers(all=True))


class TimerWorkflow(Workflow):
    """Waits one day, then races a one-hour timer against a two-day one it then cancels."""

    name = "e2e-timers"
    version = VERSION
    task_list = TASK_LIST
    execution_timeout = 7 * DAY

    def run(self) -> int:
        futures.wait(self.submit(self.start_timer("one-day", DAY)))
        futures.wait(
            self.submit(
                Group(
                    self.start_timer("two-days", 2 * DAY),
                    Chain(self.start_timer("one-hour", HOUR), self.cancel_timer("two-days")),
                )
            )
        )
        return self.submit(increment, 41).result


# --- Signals and child workflows ------------------------------------------------------------


class SignalSelfWorkflow(Workflow):
    """Waits for a signal it sends itself once an activity is done."""

    name = "e2e-signal-self"
    version = VERSION
    task_list = TASK_LIST

    def run(self) -> Any:
        waiter = self.submit(self.wait_signal("go"))
        futures.wait(self.submit(increment, 1))
        # Keyword arguments only: simpleflow's signal() passes positional ones where
        # SignalTask expects the workflow id.
        sent = self.submit(self.signal("go", payload=42, propagate=False))
        futures.wait(waiter, sent)
        return waiter.result


class ChildWaitsForSignal(Workflow):
    """A child that waits for ``ping`` (from its parent), then works."""

    name = "e2e-child-waits"
    version = VERSION
    task_list = TASK_LIST

    def run(self) -> Any:
        waiter = self.submit(self.wait_signal("ping"))
        futures.wait(waiter)
        return {"ping": waiter.result, "work": self.submit(double, 21).result}


class ChildSignals(Workflow):
    """A child that sends ``pong`` to itself; simpleflow propagates it to the parent."""

    name = "e2e-child-signals"
    version = VERSION
    task_list = TASK_LIST

    def run(self) -> str:
        futures.wait(self.submit(self.signal("pong", who="child")))
        return "pong sent"


class SignalFamilyWorkflow(Workflow):
    """Signals propagated as simpleflow does: the parent's ``ping`` down to its children,
    a child's ``pong`` up to the parent."""

    name = "e2e-signal-family"
    version = VERSION
    task_list = TASK_LIST

    def run(self) -> dict[str, Any]:
        waiting_child = self.submit(ChildWaitsForSignal)
        pong = self.submit(self.wait_signal("pong"))
        signalling_child = self.submit(ChildSignals)
        ping = self.submit(self.signal("ping", who="parent"))
        futures.wait(waiting_child, signalling_child, pong, ping)
        return {"child": waiting_child.result, "pong": pong.result}


class ParentWorkflow(Workflow):
    """Two child workflows in parallel, then one more fed with their results."""

    name = "e2e-parent"
    version = VERSION
    task_list = TASK_LIST

    def run(self, x: int) -> dict[str, Any]:
        children = self.submit(Group((ChainWorkflow, x), (ChainWorkflow, x + 10)))
        futures.wait(children)
        first, second = children.result
        last = self.submit(ChainWorkflow, first["pipeline"] + second["pipeline"])
        return {"children": children.result, "last": last.result}


# --- Steps ----------------------------------------------------------------------------------


class StepWorkflow(Workflow, WorkflowStepMixin):
    """Two steps; running ``prepare`` forces ``publish`` (its dependent) to run again."""

    name = "e2e-steps"
    version = VERSION
    task_list = TASK_LIST

    def get_step_bucket(self) -> str:
        # A bare bucket name: simpleflow then asks the bucket's region and uses plain boto3
        # clients, which honour AWS_ENDPOINT_URL (a "host/bucket" would force https://host).
        return os.environ.get("E2E_STEP_BUCKET", STEP_BUCKET)

    def run(self, force_steps: list[str] | None = None) -> str:
        if force_steps:
            self.add_forced_steps(force_steps, reason="asked by the test")
        futures.wait(
            self.submit(
                Step("prepare", ActivityTask(increment, 1), force_steps_if_executed=["publish"])
            )
        )
        futures.wait(self.submit(Step("publish", ActivityTask(double, 2))))
        return "steps done"


# --- Cancellation and continue-as-new -------------------------------------------------------


class CancelWorkflow(Workflow):
    """Starts a one-day timer, then an activity asks SWF to cancel the run."""

    name = "e2e-cancel"
    version = VERSION
    task_list = TASK_LIST
    execution_timeout = 7 * DAY

    def run(self, agree: bool = True) -> str:  # noqa: ARG002 (read by should_cancel)
        timer = self.submit(self.start_timer("one-day", DAY))
        futures.wait(self.submit(request_my_cancellation))
        futures.wait(timer)
        return "not canceled"

    def should_cancel(self, history: Any) -> bool:
        return bool((history.events[0].input or {}).get("kwargs", {}).get("agree", True))


class CountdownWorkflow(Workflow):
    """Continues as new, incrementing ``i`` in an activity, until ``i`` reaches ``until``."""

    name = "e2e-countdown"
    version = VERSION
    task_list = TASK_LIST

    def run(self, i: int = 0, until: int = 3) -> dict[str, Any]:
        if i >= until:
            return {"i": i, "run": self.get_run_context()["run_id"]}
        following = self.submit(increment, i).result
        # Its future never completes: the run closes with the ContinueAsNew decision.
        futures.wait(self.submit(self.continue_as_new(i=following, until=until)))
        raise AssertionError("a run that continued as new went on")
