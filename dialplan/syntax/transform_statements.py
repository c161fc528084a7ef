"""Transformer rules for statements, options and branches."""

from __future__ import annotations

from typing import Any

from lark import Token, v_args

from . import ast
from .exprs import Expr, Literal, Range
from .transform_base import TransformBase

# Grammar rule name -> verb, for every statement that becomes a generic `Action`.
ACTION_RULES = {
    "answer": "answer", "ringing": "ringing", "progress": "progress", "play": "play",
    "say": "say", "collect": "collect", "menu": "menu", "listen": "listen", "goto": "goto",
    "run": "run", "return_stmt": "return", "retry": "retry", "transfer": "transfer",
    "dial": "dial", "queue": "queue", "record": "record", "hangup": "hangup",
    "fetch": "fetch",
}


class StatementRules(TransformBase):
    def _action(self, verb: str, meta: Any, children: list[Any]) -> ast.Action:
        args: list[Any] = []
        options: list[ast.Option] = []
        branches: tuple[ast.Branch, ...] | None = None
        for child in children:
            if isinstance(child, ast.Option):
                options.append(child)
            elif isinstance(child, tuple):
                branches = child
            elif isinstance(child, Token):
                is_string = child.type == "STRING"
                args.append(self.decode_string(child) if is_string else self.name(child))
            else:
                args.append(child)
        return ast.Action(verb, tuple(args), tuple(options), branches, self.span(meta))

    @v_args(meta=True)
    def wait(self, meta: Any, children: list[Any]) -> ast.Action:
        return self._action("wait", meta, [self.value(children[0])])

    @v_args(meta=True)
    def set(self, meta: Any, children: list[Any]) -> ast.SetVar:
        branches = children[2] if len(children) > 2 else None
        return ast.SetVar(self.name(children[0]), children[1], self.span(meta), branches)

    @v_args(meta=True)
    def if_stmt(self, meta: Any, children: list[Any]) -> ast.If:
        arms: list[tuple[Expr, tuple[ast.Statement, ...]]] = [(children[0], children[1])]
        orelse = None
        for clause in children[2:]:
            if clause[0] == "elif":
                arms.append((clause[1], clause[2]))
            else:
                orelse = clause[1]
        return ast.If(tuple(arms), orelse, self.span(meta))

    def elif_clause(self, children: list[Any]) -> tuple[Any, ...]:
        return ("elif", children[0], children[1])

    def else_clause(self, children: list[Any]) -> tuple[Any, ...]:
        return ("else", children[0])

    def block(self, children: list[ast.Statement]) -> tuple[ast.Statement, ...]:
        return tuple(children)

    @v_args(meta=True)
    def option(self, meta: Any, children: list[Any]) -> ast.Option:
        values = tuple(self.value(v) for v in children[1:])
        return ast.Option(self.name(children[0]), values, self.span(meta))

    @v_args(meta=True)
    def range(self, meta: Any, children: list[Token]) -> Range:
        low, high = (self.number(token).value for token in children)
        return Range(int(low), int(high), self.span(meta))

    # -- branches -----------------------------------------------------------
    def branches(self, children: list[ast.Branch]) -> tuple[ast.Branch, ...]:
        return tuple(children)

    @v_args(meta=True)
    def branch_goto(self, meta: Any, children: list[Any]) -> ast.Branch:
        target: ast.Target = children[-1]
        goto = ast.Action("goto", (target,), (), None, target.span)
        return ast.Branch(tuple(children[:-1]), (goto,), self.span(meta))

    @v_args(meta=True)
    def branch_body(self, meta: Any, children: list[Any]) -> ast.Branch:
        keys = tuple(c for c in children if isinstance(c, ast.BranchKey))
        body = tuple(c for c in children if not isinstance(c, ast.BranchKey))
        return ast.Branch(keys, body, self.span(meta))

    def key_digits(self, children: list[Token]) -> ast.BranchKey:
        return ast.BranchKey("digits", str(children[0]), self.span(children[0]))

    def key_word(self, children: list[Token]) -> ast.BranchKey:
        literal: Literal = self.decode_string(children[0])
        return ast.BranchKey("word", str(literal.value), literal.span)

    def key_event(self, children: list[Token]) -> ast.BranchKey:
        return ast.BranchKey("event", str(children[0]), self.span(children[0]))


def _action_rule(verb: str) -> Any:
    @v_args(meta=True)
    def rule(self: StatementRules, meta: Any, children: list[Any]) -> ast.Action:
        return self._action(verb, meta, children)

    return rule


# Lark looks rules up by name; one generated method per action rule keeps this file flat.
for _rule, _verb in ACTION_RULES.items():
    setattr(StatementRules, _rule, _action_rule(_verb))
