"""AWS JSON 1.0 bodies exactly as SWF writes them.

Real SWF responses (shared/real-aws, 131 bodies) are compact JSON with keys sorted at every
level, ``/`` left unescaped, and timestamps written by Java's ``Double.toString``: epoch seconds
in scientific form such as ``1.487851963534E9``. Every float in an SWF response is a timestamp.
"""

from __future__ import annotations

import json
import math
from typing import Any

_string = json.JSONEncoder(ensure_ascii=False).encode


def encode(value: Any) -> bytes:
    """The wire bytes of a JSON-shaped response."""
    parts: list[str] = []
    _write(value, parts)
    return "".join(parts).encode()


def java_double(number: float) -> str:
    """``number`` as Java's ``Double.toString`` writes it, for values from 1e-3 up.

    Java uses plain notation below 1e7 and scientific notation (``d.dddE9``) from 1e7 up, with
    the shortest digits that read back to the same double (as Python's ``repr``).
    """
    text = repr(abs(number))
    if number == 0 or abs(number) < 1e7:
        plain = repr(number)
        return plain if "." in plain or "e" in plain else plain + ".0"
    mantissa, _, power = text.partition("e")
    whole, _, fraction = mantissa.partition(".")
    exponent = len(whole) - 1 + (int(power) if power else 0)
    digits = (whole + fraction).strip("0") or "0"
    sign = "-" if number < 0 else ""
    return f"{sign}{digits[0]}.{digits[1:] or '0'}E{exponent}"


def _write(value: Any, parts: list[str]) -> None:
    if isinstance(value, dict):
        parts.append("{")
        for index, key in enumerate(sorted(value)):
            if index:
                parts.append(",")
            parts.append(_string(key))
            parts.append(":")
            _write(value[key], parts)
        parts.append("}")
    elif isinstance(value, list):
        parts.append("[")
        for index, item in enumerate(value):
            if index:
                parts.append(",")
            _write(item, parts)
        parts.append("]")
    elif isinstance(value, bool) or value is None:
        parts.append("true" if value is True else "false" if value is False else "null")
    elif isinstance(value, float):
        parts.append(java_double(value))
    elif isinstance(value, int):
        parts.append(str(value))
    else:
        parts.append(_string(value))


def decode(body: bytes) -> Any:
    """A request body as JSON-shaped data, read as strictly as AWS's JSON protocol reads it.

    Raises:
        ValueError: the body is not UTF-8 (a UTF-8-encoded lone surrogate included), not JSON,
            holds ``NaN`` or ``Infinity`` (not JSON, though Python's reader takes them) or a
            number beyond a double's range (``1e400``), or nests too deeply to read.
    """
    # json.loads would decode bytes with "surrogatepass", letting encoded lone surrogates in.
    text = body.decode("utf-8")
    try:
        return json.loads(text, parse_constant=_not_json, parse_float=_finite)
    except RecursionError:
        # Python's reader recurses once per level; a body of "[" x 100,000 exhausts the stack.
        raise ValueError("the JSON nests too deeply to read") from None


def _not_json(constant: str) -> float:
    raise ValueError(f"{constant} is not a JSON number")


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"the number {text[:32]} is out of range")
    return number
