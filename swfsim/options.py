"""Simulator options where AWS's sources disagree or a test wants another behaviour."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Options:
    """Behaviour switches of a Simulator.

    Attributes:
        empty_poll_token: answer an empty poll with ``taskToken: ""`` (what the API reference
            says) instead of omitting it (what public boto3 workers rely on: they test
            ``'taskToken' not in task``).
        poll_timeout_seconds: how long a long poll waits, in virtual seconds, before it
            returns the empty response.
        lambda_without_role_cause: what scheduling a Lambda task in a run without a
            ``lambdaRole`` does. The model says it fails (StartWorkflowExecution's
            ``lambdaRole``), but no ScheduleLambdaFunctionFailed cause fits: by default that
            event with this cause; with ``"ASSUME_ROLE_FAILED"``, LambdaFunctionScheduled then
            StartLambdaFunctionFailed.
        denied: operation names and decision types a simulated IAM policy denies. A denied
            operation answers ``OperationNotPermittedFault``; a denied decision fails with
            cause ``OPERATION_NOT_PERMITTED`` (the only way SWF writes ``RecordMarkerFailed``);
            ScheduleLambdaFunction has no such cause and is never denied.
        operator_initiated_cause: record ``cause: OPERATOR_INITIATED`` on terminations made
            through the API. The field's documentation says the cause is set only for
            automatic terminations (WorkflowExecutionTerminatedEventAttributes in the API
            Reference), so it is omitted by default.
        unassumable_roles: IAM role ARNs SWF cannot assume (a role that does not exist, or
            does not trust ``swf.amazonaws.com``). Each Lambda task of a run whose
            ``lambdaRole`` is one of them is recorded as LambdaFunctionScheduled, then
            StartLambdaFunctionFailed with cause ``ASSUME_ROLE_FAILED``; the function is not
            called.
    """

    empty_poll_token: bool = False
    poll_timeout_seconds: int = 60
    lambda_without_role_cause: str = "LAMBDA_SERVICE_NOT_AVAILABLE_IN_REGION"
    denied: frozenset[str] = field(default_factory=frozenset)
    operator_initiated_cause: bool = False
    unassumable_roles: frozenset[str] = field(default_factory=frozenset)
