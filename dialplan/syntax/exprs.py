"""Expression and value nodes: the small, safe expression language of conditions and `set`.

Arithmetic, comparisons, a fixed table of functions (plan/functions.py) and variable
names, some dotted (`account.balance`): nothing here can name Python, so caller input,
which only ever arrives as a variable's value, is data and never code.

They double as the compiled form: the machine evaluates these trees directly. Spans are
excluded from equality so two plans that differ only in layout compare equal.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from ..source import NO_SPAN, Span

Scalar = str | int | float | bool


@dataclass(frozen=True)
class Literal:
    value: Scalar
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class Duration:
    """A duration literal such as `5s`; `seconds` is its value, `text` how it was written."""

    seconds: float
    text: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class Var:
    name: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class ListExpr:
    items: tuple[Expr, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class During:
    """True while the named schedule is open."""

    schedule: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class Not:
    operand: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class BinOp:
    """`op` is one of: and, or, ==, !=, <, <=, >, >=, in, not in, matches, + - * / %."""

    op: str
    left: Expr
    right: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class Range:
    """`4..8`: an inclusive integer range, used by options such as `digits`."""

    low: int
    high: int
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class Negate:
    """Unary minus of anything but a number literal (`-5` is the literal -5)."""

    operand: Expr
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class Call:
    """`upper(name)`: one of the functions of plan/functions.py, checked by the compiler."""

    function: str
    args: tuple[Expr, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)

    @property
    def name_span(self) -> Span:
        """Where the function's name is written: the call starts with it."""
        return Span.point(self.span.path, self.span.line, self.span.column, len(self.function))


ARITHMETIC = frozenset({"+", "-", "*", "/", "%"})
Expr = Literal | Duration | Var | ListExpr | During | Not | BinOp | Negate | Call


def walk(expr: Expr) -> Iterator[Expr]:
    """Yield every node of an expression tree, parents first."""
    yield expr
    if isinstance(expr, ListExpr):
        for item in expr.items:
            yield from walk(item)
    elif isinstance(expr, Not | Negate):
        yield from walk(expr.operand)
    elif isinstance(expr, Call):
        for arg in expr.args:
            yield from walk(arg)
    elif isinstance(expr, BinOp):
        yield from walk(expr.left)
        yield from walk(expr.right)
