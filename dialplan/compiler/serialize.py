"""Plans as plain data: for `dialplan show --format json`, golden tests and the version id.

The version is a content hash of the plan's meaning: the hash of its repr, from which
spans and the root path are left out (`repr=False`), so re-formatting a file or moving
it keeps its version.
"""

from __future__ import annotations

import dataclasses
import hashlib
from typing import Any

from ..plan import Key, Outcome, Word
from ..source import Span


def to_data(value: Any, spans: bool = True) -> Any:
    """Dataclasses become dicts tagged with their type; spans become `path:line:col`,
    branch labels the text they print as (`key 1`, `word sales`, `noinput`)."""
    if isinstance(value, Span | Key | Word | Outcome):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data: dict[str, Any] = {"type": type(value).__name__}
        for field in dataclasses.fields(value):
            if not field.compare and not (spans and field.name == "span"):
                continue
            data[field.name] = to_data(getattr(value, field.name), spans)
        return data
    if isinstance(value, tuple | list):
        return [to_data(item, spans) for item in value]
    return value


def content_version(plan: Any) -> str:
    """12 hex digits of SHA-256 over the plan's meaning (its version field blanked)."""
    canonical = repr(dataclasses.replace(plan, version=""))
    return hashlib.sha256(canonical.encode()).hexdigest()[:12]
