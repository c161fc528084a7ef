"""Plans as plain data: for `dialplan show --format json`, golden tests and the version id.

The version is a content hash of the plan's meaning: spans and the root path are left
out, so re-formatting a file or moving it keeps its version.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any

from ..source import Span


def to_data(value: Any, spans: bool = True) -> Any:
    """Dataclasses become dicts tagged with their type; spans become `path:line:col`."""
    if isinstance(value, Span):
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


def content_version(plan_without_version: Any) -> str:
    data = to_data(plan_without_version, spans=False)
    data.pop("version", None)
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()[:12]
