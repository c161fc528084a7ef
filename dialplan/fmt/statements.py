"""Statements, options and branches to `Piece`s: one statement per line; a branch is
`keys -> body` on one line, the statements of its body joined by `; `; a block opened
by a statement (branches, `if`) indents one level and closes with `}` on its own line."""

from __future__ import annotations

from dataclasses import replace

from ..source import Span
from ..syntax import ast
from ..syntax.unparse import unparse as expression
from .layout import Piece
from .literals import quote, value
from .source import SourceMap

# Words that start a statement: `-> menu` would read as a menu statement, not a goto.
STATEMENT_WORDS = frozenset({
    "answer", "ringing", "progress", "play", "say", "collect", "menu", "listen", "set", "if",
    "goto", "run", "return", "retry", "transfer", "dial", "queue", "record", "hangup", "wait",
    "elif", "else", "true", "false", "default", "not", "in", "matches", "during", "and", "or",
    "fetch",
})
LISTED_ARGS = frozenset({"play", "dial"})  # arguments separated by commas


class StatementPrinter:
    def __init__(self, source: SourceMap) -> None:
        self.source = source

    def start(self, span: Span) -> int:
        return self.source.start(span)

    def end(self, span: Span) -> int:
        return self.source.end(span)

    def body(self, statements: tuple[ast.Statement, ...], depth: int) -> list[Piece]:
        return [piece for statement in statements for piece in self.statement(statement, depth)]

    def statement(self, statement: ast.Statement, depth: int) -> list[Piece]:
        if isinstance(statement, ast.SetVar):
            text = f"set {statement.name.text} = {expression(statement.expr)}"
            start, end = self.start(statement.span), self.end(statement.span)
            if statement.branches is None:
                return [Piece(depth, text, start, end)]
            return self._branches(text, statement.branches, self.end(statement.expr.span),
                                  (start, end), depth)
        if isinstance(statement, ast.If):
            return self._if(statement, depth)
        return self._action(statement, depth)

    def _action(self, action: ast.Action, depth: int) -> list[Piece]:
        text = head(action)
        start, end = self.start(action.span), self.end(action.span)
        if action.branches is None:
            return [Piece(depth, text, start, end)]
        parts = [*action.args, *action.options]
        header_end = max((self.end(part.span) for part in parts), default=start + len(action.verb))
        return self._branches(text, action.branches, header_end, (start, end), depth)

    def _branches(self, text: str, branches: tuple[ast.Branch, ...], header_end: int,
                  where: tuple[int, int], depth: int) -> list[Piece]:
        """A statement's head, then its `{ branch ... }` block (verbs, and `set`)."""
        start, end = where
        brace = self.source.find("{", header_end)
        pieces = [Piece(depth, text + " {", start, brace + 1)]
        for branch in branches:
            pieces += self.branch(branch, depth + 1)
        return [*pieces, closer(depth, "}", end - 1)]

    def _if(self, statement: ast.If, depth: int) -> list[Piece]:
        pieces: list[Piece] = []
        at = self.start(statement.span)
        for index, (condition, body) in enumerate(statement.arms):
            brace = self.source.find("{", self.end(condition.span))
            text = f"if {expression(condition)} {{"
            if index:
                text = "} el" + text
            pieces.append(Piece(depth, text, at, brace + 1, closer=index > 0))
            pieces += self.body(body, depth + 1)
            at = self._block_end(body, brace)
        if statement.orelse is not None:
            brace = self.source.find("{", at + 1)
            pieces.append(Piece(depth, "} else {", at, brace + 1, closer=True))
            pieces += self.body(statement.orelse, depth + 1)
            at = self._block_end(statement.orelse, brace)
        return [*pieces, closer(depth, "}", at)]

    def _block_end(self, body: tuple[ast.Statement, ...], brace: int) -> int:
        """The offset of the `}` that closes a block opened at `brace`."""
        after = self.end(body[-1].span) if body else brace + 1
        return self.source.find("}", after)

    def branch(self, branch: ast.Branch, depth: int) -> list[Piece]:
        keys = ", ".join(key(k) for k in branch.keys)
        start, end = self.start(branch.span), self.end(branch.span)
        target = lone_goto(branch.body)
        if target is not None:
            return [Piece(depth, f"{keys} -> {target}", start, end)]
        pieces = self.statement(branch.body[0], depth)
        for statement in branch.body[1:]:
            pieces = join(pieces, self.statement(statement, depth))
        if absorbs_a_word(branch.body[-1]):  # `-> collect x` then `"word" -> ...`
            pieces[-1] = replace(pieces[-1], text=pieces[-1].text + ";")
        first = pieces[0]
        return [replace(first, text=f"{keys} -> {first.text}", start=start), *pieces[1:]]


def head(action: ast.Action) -> str:
    """`verb args options`, without branches."""
    separator = ", " if action.verb in LISTED_ARGS else " "
    words, args = [action.verb], list(action.args)
    while action.verb == "dial" and args and isinstance(kind := args[0], ast.Name):
        words.append(kind.text)  # `dial extension "201", "202"`, `dial trunk carrier "0301"`
        args.pop(0)
    if args:
        words.append(separator.join(value(arg) for arg in args))
    for option in action.options:
        values = ", ".join(value(v) for v in option.values)
        words.append(f"{option.name.text} {values}")
    return " ".join(words)


def key(branch_key: ast.BranchKey) -> str:
    return quote(branch_key.text) if branch_key.kind == "word" else branch_key.text


def lone_goto(body: tuple[ast.Statement, ...]) -> ast.Target | None:
    """The target of a body that is just `goto x`, when `-> x` reads back the same."""
    if len(body) != 1 or not isinstance(body[0], ast.Action) or body[0].verb != "goto":
        return None
    target = body[0].args[0] if body[0].args else None
    if not isinstance(target, ast.Target) or target.first.text in STATEMENT_WORDS:
        return None
    return target


def absorbs_a_word(statement: ast.Statement) -> bool:
    """`collect x` / `listen x` with nothing after: a following string is their prompt."""
    return (isinstance(statement, ast.Action) and statement.verb in ("collect", "listen")
            and len(statement.args) == 1 and not statement.options
            and statement.branches is None)


def join(left: list[Piece], right: list[Piece]) -> list[Piece]:
    """Two statements of a branch body on one line: `say "x"; retry`, `}; hangup`."""
    last, first = left[-1], right[0]
    merged = replace(last, text=f"{last.text}; {first.text}", end=first.end)
    return [*left[:-1], merged, *right[1:]]


def closer(depth: int, text: str, at: int) -> Piece:
    return Piece(depth, text, at, at + 1, closer=True)
