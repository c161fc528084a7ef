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


def flatten(node: Any) -> list[Any]:
    """The tree in preorder without positions, each node with its type and arity, so
    equal lists mean equal trees; scalars keep their type (1 is not True). Iterative:
    as deep a nesting as the parser takes must not overflow the stack here."""
    out: list[Any] = []
    todo = [node]
    while todo:
        item = todo.pop()
        if dataclasses.is_dataclass(item) and not isinstance(item, type):
            children = [getattr(item, f.name) for f in dataclasses.fields(item)
                        if f.name not in IGNORED_FIELDS]
            out.append((type(item).__name__, len(children)))
        elif isinstance(item, tuple):
            children = list(item)
            out.append(("tuple", len(children)))
        else:
            out.append((type(item).__name__, item))
            continue
        todo.extend(reversed(children))
    return out


def same_meaning(before: ast.Module, after: ast.Module) -> bool:
    return flatten(before) == flatten(after)
