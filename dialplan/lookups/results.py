"""A response body as call variables: JSON flattened into dotted names, bounded.

`{"balance": 42.5, "items": [{"name": "tea"}]}` fetched as `account` becomes
`account.balance = 42.5`, `account.items.count = 1`, `account.items.0.name = "tea"`.
A body that is too big, nested too deep, has too many values, or is not JSON is
refused whole (the `failed` branch); an object key that is not a plain word is left
out rather than let it make a name the language cannot write.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

Value = str | int | float | bool
_KEY = re.compile(r"[A-Za-z0-9_]{1,64}")


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 65_536  # of the body
    max_depth: int = 8  # of nested objects and arrays
    max_values: int = 256  # variables one response may set
    max_string: int = 1_000  # characters of one string value


DEFAULT_LIMITS = Limits()


class Refused(Exception):
    """The body cannot become variables; the message says why."""


def decode(name: str, body: bytes, limits: Limits = DEFAULT_LIMITS) -> dict[str, Value]:
    """The variables a response body sets (none for an empty body)."""
    if len(body) > limits.max_bytes:
        raise Refused(f"the body is over {limits.max_bytes} bytes")
    if not body.strip():
        return {}
    try:
        data = json.loads(body)
    except RecursionError as error:  # the parser's own guard, far past max_depth
        raise Refused(f"the JSON is nested deeper than {limits.max_depth}") from error
    except ValueError as error:
        raise Refused(f"the body is not JSON: {str(error)[:80]}") from error
    return flatten(name, data, limits)


def flatten(name: str, data: Any, limits: Limits = DEFAULT_LIMITS) -> dict[str, Value]:
    found: dict[str, Value] = {}

    def visit(prefix: str, value: Any, depth: int) -> None:
        if depth > limits.max_depth:
            raise Refused(f"the JSON is nested deeper than {limits.max_depth}")
        if isinstance(value, dict):
            for key, item in value.items():
                if _KEY.fullmatch(key):
                    visit(f"{prefix}.{key}", item, depth + 1)
            return
        if isinstance(value, list):
            put(f"{prefix}.count", len(value))
            for index, item in enumerate(value):
                visit(f"{prefix}.{index}", item, depth + 1)
            return
        put(prefix, _scalar(value, limits))

    def put(key: str, value: Value) -> None:
        if len(found) >= limits.max_values:
            raise Refused(f"the JSON holds more than {limits.max_values} values")
        found[key] = value

    visit(name, data, 0)
    return found


def _scalar(value: Any, limits: Limits) -> Value:
    if value is None:
        return ""
    if isinstance(value, str):
        return value[:limits.max_string]
    assert isinstance(value, bool | int | float)
    return value
