"""The Lambda functions of a Simulator: Python callables standing in for AWS Lambda functions.

Listeners hear of every invocation (the journal records its outcome), and while a journal is
replayed the recorded outcomes stand in for the functions: a replay never calls user code,
which may have side effects or answer differently the second time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from swfsim.model.registry import JsonDict, present

LambdaFunction = Callable[[str | None], str | None]
_REASON_LIMIT = 256
_DETAILS_LIMIT = 32768


@dataclass(frozen=True)
class Invocation:
    """What invoking a Lambda function gave.

    Attributes:
        name: the function name the decision gave.
        event_type: ``LambdaFunctionCompleted`` or ``LambdaFunctionFailed``.
        attributes: that event's attributes from the function: ``result``, or ``reason`` and
            ``details``.
        seconds: the virtual seconds the invocation takes.
    """

    name: str
    event_type: str
    attributes: JsonDict
    seconds: float


class LambdaFunctions:
    """The registered functions, and who hears of each invocation."""

    def __init__(self) -> None:
        self._functions: dict[str, tuple[LambdaFunction, float]] = {}
        self.listeners: list[Callable[[Invocation], None]] = []
        # Set while a journal is replayed: the recorded invocation of a function name.
        self.replayed: Callable[[str], Invocation] | None = None

    def register(self, name: str, function: LambdaFunction, seconds: float) -> None:
        """Make ``function`` the Lambda function ``name``, each invocation taking ``seconds``."""
        self._functions[name] = (function, seconds)

    def adopt(self, other: LambdaFunctions) -> None:
        """Register every function ``other`` has (setup carried from one Simulator to another)."""
        self._functions.update(other._functions)

    def invoke(self, name: str, payload: str | None) -> Invocation:
        """Invoke the function ``name`` with ``payload`` (or take its recorded invocation)."""
        invocation = self._call(name, payload) if self.replayed is None else self.replayed(name)
        for listener in self.listeners:
            listener(invocation)
        return invocation

    def _call(self, name: str, payload: str | None) -> Invocation:
        registered = self._functions.get(name)
        if registered is None:
            details = f"No Lambda function named {name} is registered (Simulator.register_lambda)"
            failed = {"reason": "ResourceNotFoundException", "details": details}
            return Invocation(name, "LambdaFunctionFailed", failed, 0.0)
        function, seconds = registered
        try:
            result = function(payload)
        except Exception as error:  # the function's failure is the workflow's data, not ours
            failed = {
                "reason": type(error).__name__[:_REASON_LIMIT],
                "details": str(error)[:_DETAILS_LIMIT],
            }
            return Invocation(name, "LambdaFunctionFailed", failed, seconds)
        return Invocation(name, "LambdaFunctionCompleted", present(result=result), seconds)
