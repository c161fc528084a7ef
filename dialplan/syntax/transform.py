"""Parse tree to AST for one file: the declaration rules, plus the statement and
expression rules mixed in. It runs inside the LALR parser, so no tree is built."""

from __future__ import annotations

from typing import Any

from lark import Token, v_args

from ..source import Span
from . import ast
from .exprs import Literal
from .transform_exprs import ExpressionRules
from .transform_statements import StatementRules


class ToAst(StatementRules, ExpressionRules):
    def start(self, items: list[ast.Item]) -> ast.Module:
        return ast.Module(self.path, tuple(items))

    @v_args(meta=True)
    def include(self, meta: Any, children: list[Token]) -> ast.Include:
        return ast.Include(self.decode_string(children[0]), self.span(meta))

    @v_args(meta=True)
    def global_set(self, meta: Any, children: list[Any]) -> ast.GlobalSet:
        return ast.GlobalSet(self.name(children[0]), children[1], self.span(meta))

    @v_args(meta=True)
    def route(self, meta: Any, children: list[Any]) -> ast.Route:
        numbers: tuple[Literal, ...] = ()
        callers: tuple[Literal, ...] = ()
        for child in children[:-1]:
            if isinstance(child, tuple) and child and child[0] == "callers":
                callers = child[1]
            elif isinstance(child, tuple):
                numbers = child
        return ast.Route(numbers, callers, children[-1], self.span(meta))

    def route_numbers(self, children: list[Literal]) -> tuple[Literal, ...]:
        return tuple(children)

    def caller_filter(self, children: list[Literal]) -> tuple[str, tuple[Literal, ...]]:
        return ("callers", tuple(children))

    def number_pattern(self, children: list[Token]) -> Literal:
        token = children[0]
        if token.type == "STRING":
            return self.decode_string(token)
        return Literal(str(token), self.span(token))

    @v_args(meta=True)
    def target(self, meta: Any, children: list[Token]) -> ast.Target:
        second = self.name(children[1]) if len(children) > 1 else None
        return ast.Target(self.name(children[0]), second, self.span(meta))

    @v_args(meta=True)
    def defaults(self, meta: Any, children: list[ast.Option]) -> ast.Defaults:
        return ast.Defaults(tuple(children), self.span(meta))

    @v_args(meta=True)
    def flow(self, meta: Any, children: list[Any]) -> ast.Flow:
        options = tuple(c for c in children[1:] if isinstance(c, ast.Option))
        handlers = next((c for c in children[1:] if isinstance(c, ast.Handlers)), None)
        body = [c for c in children[1:] if not isinstance(c, ast.Option | ast.Handlers)]
        loose = [c for c in body if not isinstance(c, ast.State)]
        states = [c for c in body if isinstance(c, ast.State)]
        if loose:  # statements before the first label form the implicit `start` state
            first = loose[0].span
            states.insert(0, ast.State(ast.Name("start", first), tuple(loose), first))
        return ast.Flow(self.name(children[0]), tuple(states), self.span(meta), options,
                        handlers)

    @v_args(meta=True)
    def handlers(self, meta: Any, children: list[Any]) -> ast.Handlers:
        return ast.Handlers(children[0], self.span(meta))

    @v_args(meta=True)
    def state(self, meta: Any, children: list[Any]) -> ast.State:
        label: Token = children[0]
        text = label.rstrip(": \t")
        where = Span.point(self.path, label.line or 1, label.column or 1, len(text))
        return ast.State(ast.Name(text, where), tuple(children[1:]), self.span(meta))

    @v_args(meta=True)
    def schedule(self, meta: Any, children: list[Any]) -> ast.Schedule:
        timezone = None
        hours: list[ast.Hours] = []
        holidays: list[tuple[Literal, Literal]] = []
        calendars: list[Literal] = []
        for item in children[1:]:
            if isinstance(item, Literal):
                timezone = item
            elif isinstance(item, ast.Hours):
                hours.append(item)
            elif item[0] == "holidays":
                calendars.extend(item[1])
            else:
                holidays.extend(item[1])
        name = self.name(children[0])
        return ast.Schedule(name, timezone, tuple(hours), tuple(holidays), self.span(meta),
                            tuple(calendars))

    def sched_timezone(self, children: list[Token]) -> Literal:
        return self.decode_string(children[0])

    @v_args(meta=True)
    def sched_hours(self, meta: Any, children: list[Any]) -> ast.Hours:
        names = [self.name(c) for c in children if isinstance(c, Token)]
        ranges = tuple(c for c in children if isinstance(c, tuple))
        last = names[1] if len(names) > 1 else None
        return ast.Hours(names[0], last, ranges, self.span(meta))

    def sched_holidays(self, children: list[tuple[Literal, Literal]]) -> tuple[str, Any]:
        return ("holiday", children)

    def sched_calendars(self, children: list[Token]) -> tuple[str, Any]:
        return ("holidays", [self.decode_string(token) for token in children])

    def time_range(self, children: list[Token]) -> tuple[Literal, Literal]:
        return (self._text(children[0]), self._text(children[1]))

    def date_range(self, children: list[Token]) -> tuple[Literal, Literal]:
        return (self._text(children[0]), self._text(children[-1]))

    def _text(self, token: Token) -> Literal:
        return Literal(str(token), self.span(token))

    @v_args(meta=True)
    def queue_decl(self, meta: Any, children: list[Any]) -> ast.QueueDecl:
        return ast.QueueDecl(self.name(children[0]), tuple(children[1:]), self.span(meta))

    @v_args(meta=True)
    def setting(self, meta: Any, children: list[Any]) -> ast.Setting:
        values = tuple(self.value(v) for v in children[1:])
        return ast.Setting(self.name(children[0]), values, self.span(meta))
