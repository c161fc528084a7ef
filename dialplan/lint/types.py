"""A rule's raw finding: the code, where, and the words for its message."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..source import Span


@dataclass(frozen=True)
class Finding:
    code: str
    span: Span
    words: dict[str, Any] = field(default_factory=dict)
    hint: str | None = None
