"""Types of expressions, known before a call: arithmetic and function calls checked at
compile time wherever the types of their operands are known.

A type is known for literals, for the builtin variables, for what collect, listen and
record store (text) and for variables every `set` of which gives the same type.
Anything else (an HTTP result, a variable set to a number here and a text there) is
`any` and is checked when the call runs: then a mistake takes the `set`'s `failed` path.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from ..diagnostics import Report, did_you_mean
from ..plan.functions import ANY, BOOLEAN, FUNCTIONS, LIST, NUMBER, TEXT, Function
from ..syntax import ast
from ..syntax.exprs import (
    ARITHMETIC,
    BinOp,
    Call,
    Duration,
    During,
    Expr,
    ListExpr,
    Literal,
    Negate,
    Not,
    Var,
    walk,
)
from ..syntax.unparse import unparse
from ..syntax.walk import statements
from .symbols import Symbols

BUILTIN_TYPES = {
    "caller": TEXT, "caller_name": TEXT, "called": TEXT, "call_id": TEXT,
    "hour": NUMBER, "minute": NUMBER, "weekday": TEXT, "date": TEXT,
}
_CAPTURES = ("collect", "listen", "record")  # verbs that store text in their variable
_WHOLE = {("slice", 1), ("slice", 2), ("round", 1), ("format_number", 1)}
_PASSES = 3  # enough for `set a = b + 1` chains of the usual depth; the rest is `any`


def infer(expr: Expr, types: Mapping[str, str]) -> str:
    """The type `expr` has when it has a value at all."""
    if isinstance(expr, Literal):
        return {bool: BOOLEAN, str: TEXT}.get(type(expr.value), NUMBER)
    if isinstance(expr, Duration | Negate):
        return NUMBER
    if isinstance(expr, Var):
        return types.get(expr.name, ANY)
    if isinstance(expr, ListExpr):
        return LIST
    if isinstance(expr, During | Not):
        return BOOLEAN
    if isinstance(expr, Call):
        function = FUNCTIONS.get(expr.function)
        return function.result if function else ANY
    return _binary(expr, types)


def _binary(expr: BinOp, types: Mapping[str, str]) -> str:
    left, right = infer(expr.left, types), infer(expr.right, types)
    if expr.op in ("and", "or"):
        return BOOLEAN if left == right == BOOLEAN else ANY
    if expr.op not in ARITHMETIC:
        return BOOLEAN
    if expr.op != "+":
        return NUMBER
    known = {left, right} - {ANY}
    return known.pop() if len(known) == 1 else ANY


def variable_types(symbols: Symbols) -> dict[str, str]:
    """Each variable's type over all its assignments (`any` when they disagree)."""
    assignments = list(_assignments(symbols))
    types = dict(BUILTIN_TYPES)
    for _ in range(_PASSES):
        found = dict(BUILTIN_TYPES)
        for name, expr in assignments:
            kind = TEXT if expr is None else infer(expr, types)
            found[name] = kind if found.get(name, kind) == kind else ANY
        types = found
    return types


def _assignments(symbols: Symbols) -> Iterator[tuple[str, Expr | None]]:
    for name, global_set in symbols.globals.items():
        yield name, global_set.expr
    for flow in symbols.flows.values():
        for state in flow.states:
            for statement in statements(state.body):
                if isinstance(statement, ast.SetVar):
                    yield statement.name.text, statement.expr
                elif isinstance(statement, ast.Action) and statement.verb in _CAPTURES:
                    first = statement.args[0] if statement.args else None
                    if isinstance(first, ast.Name):
                        yield first.text, None


def check_types(expr: Expr, types: Mapping[str, str], report: Report) -> None:
    """Every operand and argument whose type is known and wrong, at its own position."""
    for node in walk(expr):
        if isinstance(node, Call):
            _check_call(node, types, report)
        elif isinstance(node, Negate):
            _expect(node.operand, NUMBER, "-", types, report)
        elif isinstance(node, BinOp) and node.op in ARITHMETIC:
            _check_arithmetic(node, types, report)


def _check_arithmetic(node: BinOp, types: Mapping[str, str], report: Report) -> None:
    if node.op == "+":
        kinds = {infer(node.left, types), infer(node.right, types)} - {ANY}
        if kinds <= {NUMBER} or kinds == {TEXT}:
            return
        # Mixed text and number: blame the side that reads as the slip. `"Total " + sum`
        # wants text(sum); `pin + 1` (collected digits are text) wants number(pin).
        literal_text = any(isinstance(side, Literal) and isinstance(side.value, str)
                           for side in (node.left, node.right))
        want = TEXT if literal_text or kinds == {TEXT, BOOLEAN} else NUMBER
        for operand in (node.left, node.right):
            _expect(operand, want, "+", types, report)
        return
    for operand in (node.left, node.right):
        _expect(operand, NUMBER, node.op, types, report)
    divisor = node.right
    if node.op in ("/", "%") and isinstance(divisor, Literal) and divisor.value == 0:
        report.emit("E505", divisor.span, "a division by a variable that may be 0 is checked "
                    "when the call runs: give the `set` a `failed` branch", op=node.op)


def _expect(operand: Expr, want: str, op: str, types: Mapping[str, str], report: Report
            ) -> None:
    got = infer(operand, types)
    if got in (ANY, want):
        return
    written = unparse(operand)
    hint = None
    if want == NUMBER and got == TEXT:
        hint = (f"did you mean `number({written})`?" if isinstance(operand, Var)
                else "turn text into a number with `number(...)`")
    elif want == TEXT and got == NUMBER:
        hint = f"did you mean `text({written})`?" if isinstance(operand, Var) else None
    report.emit("E503", operand.span, hint, operand=_short(written), got=got, op=op,
                expected=f"a {want}" if want == NUMBER else want)


def _check_call(node: Call, types: Mapping[str, str], report: Report) -> None:
    function = FUNCTIONS.get(node.function)
    if function is None:
        hint = did_you_mean(node.function, FUNCTIONS) or f"the functions: {', '.join(FUNCTIONS)}"
        report.emit("E501", node.name_span, hint, name=node.function)
        return
    if not function.required <= len(node.args) <= len(function.params):
        report.emit("E502", node.span, function.signature, name=node.function,
                    expected=_arity(function), got=len(node.args))
        return
    for index, (arg, (param, want)) in enumerate(zip(node.args, function.params, strict=False)):
        got = infer(arg, types)
        if want != ANY and got not in (ANY, want):
            report.emit("E504", arg.span, function.signature, param=param, name=node.function,
                        expected=want, got=got)
        elif (node.function, index) in _WHOLE and _fractional(arg):
            report.emit("E504", arg.span, function.signature, param=param, name=node.function,
                        expected="a whole number", got=unparse(arg))


def _fractional(arg: Expr) -> bool:
    value = arg.value if isinstance(arg, Literal) else None
    return isinstance(value, float) and not value.is_integer()


def _arity(function: Function) -> str:
    low, high = function.required, len(function.params)
    count = str(low) if low == high else f"{low} or {high}" if high == low + 1 else f"{low}-{high}"
    return f"{count} argument" + ("" if count == "1" else "s")


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."
