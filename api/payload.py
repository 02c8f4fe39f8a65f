"""Limits on what a request may carry, checked before any view sees it (documented in docs/api-conventions.md).

JSON bodies: at most ``MAX_JSON_DEPTH`` levels of arrays and objects; numbers
finite (no ``NaN``, ``Infinity`` or ``1e400``) and integers within 64 bits;
no NUL character in any string or key (PostgreSQL cannot store one in text or
``jsonb``). Query parameters: no NUL character in a name or a value.

Free-form JSON fields (registration ``answers``) are further limited by
``check_free_form``: size, keys, depth and value types.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Any

from rest_framework import serializers

MAX_JSON_DEPTH = 32
INT_MIN, INT_MAX = -(2**63), 2**63 - 1
NUL = "\x00"


class BodyProblem(Exception):
    """The first limit a JSON document breaks: ``code`` (``TOO_DEEP``, ``NOT_FINITE``, ...), ``target`` and a message."""

    def __init__(self, code: str, target: str | None, message: str) -> None:
        self.code = code
        self.target = target
        self.message = message
        super().__init__(message)


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def scalar_problem(value: Any) -> tuple[str, str] | None:
    """``(code, message)`` when a JSON scalar cannot be stored, else None."""
    if isinstance(value, str):
        if NUL in value:
            return "NULL_CHARACTERS_NOT_ALLOWED", "Text may not contain the NUL character (\\u0000)."
    elif isinstance(value, bool) or value is None:
        return None
    elif isinstance(value, float):
        if not math.isfinite(value):
            return "NOT_FINITE", "Numbers must be finite: NaN, Infinity and values beyond ±1.8e308 are refused."
    elif isinstance(value, int) and not INT_MIN <= value <= INT_MAX:
        return "OUT_OF_RANGE", "Whole numbers must lie between -9223372036854775808 and 9223372036854775807."
    return None


def problems(document: Any, *, max_depth: int = MAX_JSON_DEPTH, base: str = "") -> Iterable[BodyProblem]:
    """Every value of ``document`` that breaks a limit, walking without recursion (wire-form targets).

    Nesting deeper than ``max_depth`` is reported once, as ``TOO_DEEP``, and not walked further.
    """
    stack: list[tuple[Any, str, int]] = [(document, base, 1)]
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > max_depth:
                yield BodyProblem("TOO_DEEP", path or None, f"JSON may nest at most {max_depth} levels of arrays and objects.")
                continue
            if isinstance(value, dict):
                for key, item in reversed(value.items()):
                    if NUL in key:
                        yield BodyProblem(
                            "NULL_CHARACTERS_NOT_ALLOWED", path or None, "Keys may not contain the NUL character (\\u0000)."
                        )
                        continue
                    stack.append((item, _join(path, key), depth + 1))
            else:
                stack.extend((item, _join(path, i), depth + 1) for i, item in reversed(list(enumerate(value))))
            continue
        problem = scalar_problem(value)
        if problem is not None:
            yield BodyProblem(problem[0], path or None, problem[1])


def loads(text: str) -> Any:
    """Parse a JSON body. ``NaN``/``Infinity`` literals are read as floats so that ``problems`` reports them
    with their target; nesting beyond the interpreter's recursion limit is ``TOO_DEEP``; other errors are ValueError."""
    try:
        return json.loads(text, parse_constant=float)
    except RecursionError:
        raise BodyProblem("TOO_DEEP", None, f"JSON may nest at most {MAX_JSON_DEPTH} levels of arrays and objects.") from None


# -- free-form JSON fields ---------------------------------------------------------------
def check_free_form(
    value: Any,
    *,
    max_bytes: int,
    max_keys: int = 50,
    max_key_length: int = 100,
    max_string: int = 2000,
    max_items: int = 50,
) -> dict[str, Any]:
    """Validate a free-form object owned by the client (``answers``): an object of at most ``max_keys`` keys
    (1 to ``max_key_length`` characters) whose values are strings (at most ``max_string`` characters), finite
    numbers, booleans, null, or arrays of at most ``max_items`` of those; at most ``max_bytes`` as JSON.

    Raises ``serializers.ValidationError`` listing every offending key.
    """
    if not isinstance(value, dict):
        raise serializers.ValidationError("Expected an object.", code="not_a_dict")
    if len(value) > max_keys:
        raise serializers.ValidationError(f"At most {max_keys} keys.", code="max_length")
    errors: list[serializers.ErrorDetail] = []

    def refuse(key: Any, message: str, code: str = "invalid") -> None:
        errors.append(serializers.ErrorDetail(f"{str(key)[:40]!r}: {message}", code=code))

    for key, item in value.items():
        if not isinstance(key, str) or not 1 <= len(key) <= max_key_length or NUL in key:
            refuse(key, f"keys are 1 to {max_key_length} characters, without NUL.", "invalid_key")
            continue
        if isinstance(item, list) and len(item) > max_items:
            refuse(key, f"at most {max_items} values.", "max_length")
            continue
        for scalar in item if isinstance(item, list) else [item]:
            if isinstance(scalar, dict | list):
                refuse(key, "a value is a string, number, boolean, null, or an array of those.", "invalid_type")
                break
            problem = scalar_problem(scalar)
            if problem is not None:
                refuse(key, problem[1], problem[0].lower())
                break
            if isinstance(scalar, str) and len(scalar) > max_string:
                refuse(key, f"text values are at most {max_string} characters.", "max_length")
                break
    if errors:
        raise serializers.ValidationError(errors)
    if len(json.dumps(value, separators=(",", ":"))) > max_bytes:
        raise serializers.ValidationError(f"At most {max_bytes} bytes as JSON.", code="max_length")
    return value
