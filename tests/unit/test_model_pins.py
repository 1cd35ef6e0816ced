"""swfsim's names are botocore's: enums, faults, operations, event and decision types."""

from __future__ import annotations

import swfsim
from swfsim import errors, spec
from swfsim.model import decisions
from swfsim.model.enums import CloseStatus, ExecutionStatus, RegistrationStatus
from swfsim.operations import HANDLERS


def test_public_api_is_pinned() -> None:
    assert sorted(swfsim.__all__) == [
        "ClockMode",
        "Options",
        "ReplayResult",
        "SWFError",
        "Simulator",
        "VirtualClock",
        "__version__",
        "load_history",
        "mock_swf",
        "replay_history",
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


def test_model_counts_the_digest_relies_on() -> None:
    assert len(spec.event_types()) == 54
    assert len(spec.decision_types()) == 13


def test_close_decisions_are_decision_types() -> None:
    assert set(spec.decision_types()) >= decisions.CLOSE_DECISIONS
