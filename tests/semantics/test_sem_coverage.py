"""The suite covers every history event type, failure cause and timeout type of the botocore
model, or says why one cannot occur in swfsim.

Each scenario test declares what it covers (``sem_support.covers``) and conftest.py checks the
declaration against the histories the test read; here the declarations of every module are
compared with the model, so a value added to the model fails the suite until it is covered.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from sem_support import enum_users, service_model

import swfsim

HERE = Path(__file__).parent

# Failure causes that cannot occur in swfsim, by design.
UNREACHABLE_CAUSES = {
    # No throttling: AWS's token buckets (the throttling quotas of swf-dg-limits.html) depend on
    # request rates, which a deterministic simulator does not meter.
    "ScheduleActivityTaskFailedCause.ACTIVITY_CREATION_RATE_EXCEEDED",
    "StartTimerFailedCause.TIMER_CREATION_RATE_EXCEEDED",
    "ContinueAsNewWorkflowExecutionFailedCause.CONTINUE_AS_NEW_WORKFLOW_EXECUTION_RATE_EXCEEDED",
    "StartChildWorkflowExecutionFailedCause.CHILD_CREATION_RATE_EXCEEDED",
    "SignalExternalWorkflowExecutionFailedCause.SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_RATE_EXCEEDED",
    "RequestCancelExternalWorkflowExecutionFailedCause."
    "REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_RATE_EXCEEDED",
    "ScheduleLambdaFunctionFailedCause.LAMBDA_FUNCTION_CREATION_RATE_EXCEEDED",
}

# Event types that cannot occur in swfsim, by design.
UNREACHABLE_EVENT_TYPES: set[str] = set()


def _declarations() -> Iterator[tuple[str, pytest.Mark]]:
    """Every ``covers`` declaration of the suite's test modules, with its test's name."""
    for path in sorted(HERE.glob("test_sem_*.py")):
        module = importlib.import_module(path.stem)
        for name, function in vars(module).items():
            if name.startswith("test_") and callable(function):
                for mark in getattr(function, "pytestmark", []):
                    if mark.name == "covers":
                        yield f"{path.name}::{name}", mark


def _model_values(member: str) -> set[str]:
    """``"<EnumShape>.<VALUE>"`` for every enum of events' ``member`` in the model."""
    model = service_model()
    return {
        f"{shape}.{value}"
        for shape, users in enum_users().items()
        if any(used_as == member for _, used_as in users)
        for value in model.shape_for(shape).enum
    }


def test_declarations_are_made_by_the_scenario_modules() -> None:
    tests = {name for name, _ in _declarations()}
    modules = {name.partition("::")[0] for name in tests}
    assert modules == {
        "test_sem_activities.py",
        "test_sem_children.py",
        "test_sem_denied.py",
        "test_sem_external.py",
        "test_sem_lambda.py",
        "test_sem_timers.py",
        "test_sem_workflow.py",
    }


def test_every_event_type_is_exercised() -> None:
    declared = {event_type for _, mark in _declarations() for event_type in mark.args}
    assert not declared & UNREACHABLE_EVENT_TYPES
    every = set(service_model().shape_for("EventType").enum)
    assert len(every) == 54
    assert declared | UNREACHABLE_EVENT_TYPES == every, {
        "not covered": sorted(every - declared - UNREACHABLE_EVENT_TYPES),
        "not in the model": sorted(declared - every),
    }


def test_every_failure_cause_is_tested_or_unreachable_by_design() -> None:
    declared = {cause for _, mark in _declarations() for cause in mark.kwargs["causes"]}
    assert not declared & UNREACHABLE_CAUSES
    every = _model_values("cause")
    assert declared | UNREACHABLE_CAUSES == every, {
        "not covered": sorted(every - declared - UNREACHABLE_CAUSES),
        "not in the model": sorted((declared | UNREACHABLE_CAUSES) - every),
    }


def test_every_timeout_type_is_exercised() -> None:
    declared = {value for _, mark in _declarations() for value in mark.kwargs["timeouts"]}
    assert declared == _model_values("timeoutType")


def test_swfsim_never_writes_an_unreachable_value() -> None:
    # What is unreachable by design appears nowhere in swfsim's code: if it ever does, the
    # lists above need revisiting.
    source = "\n".join(path.read_text() for path in Path(swfsim.__file__).parent.rglob("*.py"))
    written = {
        value
        for value in UNREACHABLE_CAUSES | UNREACHABLE_EVENT_TYPES
        if value.rpartition(".")[2] in source
    }
    assert written == set()
