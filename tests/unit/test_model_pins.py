"""swfsim's names are botocore's (enums, faults, operations, event and decision types), and its
quotas are AWS's."""

from __future__ import annotations

import swfsim
from swfsim import errors, spec
from swfsim.model import decisions
from swfsim.model.children import MAX_OPEN_CHILDREN
from swfsim.model.decisions import MAX_OPEN_ACTIVITIES, MAX_OPEN_TIMERS
from swfsim.model.engine import MAX_OPEN_RUNS_PER_DOMAIN
from swfsim.model.enums import CloseStatus, ExecutionStatus, RegistrationStatus
from swfsim.model.history import MAX_EVENTS
from swfsim.model.lambdas import MAX_OPEN_LAMBDAS
from swfsim.model.registry import MAX_DOMAIN_TAGS, MAX_DOMAINS, MAX_TYPES_PER_KIND
from swfsim.operations import HANDLERS


def test_public_api_is_pinned() -> None:
    assert sorted(swfsim.__all__) == [
        "ClockMode",
        "Options",
        "ReplayResult",
        "SWFError",
        "Simulator",
        "TraceError",
        "TraceMismatchError",
        "TraceNotExhaustedError",
        "VirtualClock",
        "__version__",
        "load_history",
        "load_trace",
        "mock_swf",
        "record",
        "replay_history",
        "replay_trace",
        "run_pollers",
        "validate_history",
    ]
    for name in swfsim.__all__:
        assert getattr(swfsim, name) is not None


def test_every_model_operation_has_a_handler_and_no_other() -> None:
    assert sorted(HANDLERS) == list(spec.operation_names())
    assert len(HANDLERS) == 39


def test_enums_match_the_model() -> None:
    for enum, shape in (
        (RegistrationStatus, "RegistrationStatus"),
        (ExecutionStatus, "ExecutionStatus"),
        (CloseStatus, "CloseStatus"),
    ):
        assert {member.value for member in enum} == set(spec.enum_values(shape))


def test_fault_classes_match_the_modeled_faults() -> None:
    assert {fault.code for fault in errors.MODELED_FAULTS} == spec.fault_names()
    for fault in errors.MODELED_FAULTS:
        assert fault("x").wire_type == f"com.amazonaws.swf.base.model#{fault.code}"


def test_model_has_54_event_types_and_13_decision_types() -> None:
    assert len(spec.event_types()) == 54
    assert len(spec.decision_types()) == 13


def test_quotas_are_those_of_the_developer_guide() -> None:
    # https://docs.aws.amazon.com/amazonswf/latest/developerguide/swf-dg-limits.html; AWS gives
    # no number for open Lambda tasks, so swfsim uses that of open activities. docs/quotas.md
    # shows the same values.
    assert (MAX_DOMAINS, MAX_TYPES_PER_KIND, MAX_DOMAIN_TAGS) == (100, 10_000, 50)
    assert (MAX_OPEN_RUNS_PER_DOMAIN, MAX_EVENTS) == (100_000, 25_000)
    assert MAX_OPEN_ACTIVITIES == MAX_OPEN_TIMERS == MAX_OPEN_CHILDREN == MAX_OPEN_LAMBDAS == 1000


def test_close_decisions_are_decision_types() -> None:
    assert set(spec.decision_types()) >= decisions.CLOSE_DECISIONS
