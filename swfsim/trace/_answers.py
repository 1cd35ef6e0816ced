"""Recorded answers checked against botocore's output shapes: a trace answers what SWF sends."""

from __future__ import annotations

from typing import TYPE_CHECKING

import botocore

from swfsim.output_shapes import output_problems
from swfsim.trace._errors import TraceFormatError

if TYPE_CHECKING:
    from swfsim.trace._format import Trace

SHOWN_PROBLEMS = 5  # a line broken everywhere is not listed in full


def check_answers(trace: Trace, name: str = "trace") -> None:
    """Check every recorded success body against its operation's output shape.

    Raises:
        TraceFormatError: a body does not fit; the message names the file, the line, the
            operation and each member at fault, and says how to fix it.
    """
    for index, call in enumerate(trace.calls):
        if not call.response.ok:
            continue
        problems = output_problems(call.operation, call.response.body or {}, wire=True)
        if problems:
            raise TraceFormatError(_message(trace, name, index + 2, call.operation, problems))


def _message(trace: Trace, name: str, line: int, operation: str, problems: list[str]) -> str:
    shown = problems[:SHOWN_PROBLEMS]
    if len(problems) > SHOWN_PROBLEMS:
        shown.append(f"... and {len(problems) - SHOWN_PROBLEMS} more")
    listed = "".join(f"\n  {problem}" for problem in shown)
    fix = "each recorded answer must be what SWF sends: correct the line or record it again"
    written_with = trace.header.botocore
    if written_with is not None and _release(written_with) > _release(botocore.__version__):
        fix += (
            f" (the trace was written with botocore {written_with}, newer than this one: if "
            "SWF added the member since, upgrade botocore)"
        )
    return (
        f"{name}: line {line}: the recorded {operation} answer does not fit its output shape "
        f"(botocore {botocore.__version__}):{listed}\n{fix}"
    )


def _release(version: str) -> tuple[int, ...]:
    """``"1.44.18"`` -> ``(1, 44, 18)``: botocore's versions are plain numbers."""
    return tuple(int(part) for part in version.split(".") if part.isdigit())
