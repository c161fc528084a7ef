"""The formatter's safety net: the formatted text must parse to the same AST.

Like black's AST check: comparing trees without their source positions proves that
layout is all that changed, even for files that do not compile (the plan could not be
compared). A formatter bug then leaves the file untouched instead of changing a call flow.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ..syntax import ast

IGNORED_FIELDS = frozenset({"span", "path"})


def shape(node: Any) -> Any:
    """A node as nested tuples without positions; scalars keep their type (1 vs True)."""
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        fields = dataclasses.fields(node)
        return (type(node).__name__, *(shape(getattr(node, f.name)) for f in fields
                                       if f.name not in IGNORED_FIELDS))
    if isinstance(node, tuple):
        return tuple(shape(item) for item in node)
    return (type(node).__name__, node)


def same_meaning(before: ast.Module, after: ast.Module) -> bool:
    return bool(shape(before) == shape(after))
