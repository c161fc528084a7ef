"""Top-level items to `Piece`s: a blank line between items (consecutive routes, includes
or globals stay together), `flow`, `schedule`, `queue` and `handlers` bodies indented one
level (a flow's handlers first), each state's label on its own line with its statements one
level deeper."""

from __future__ import annotations

from dataclasses import replace

from ..source import Span
from ..syntax import ast
from ..syntax.exprs import Literal
from ..syntax.unparse import unparse as expression
from .layout import Piece
from .literals import quote, route_number, value
from .source import Comment, SourceMap
from .statements import StatementPrinter, closer

GROUPED = (ast.Route, ast.Include, ast.GlobalSet)  # one-liners kept together


class Printer(StatementPrinter):
    def __init__(self, source: SourceMap, comments: tuple[Comment, ...]) -> None:
        super().__init__(source)
        self.comment_starts = [comment.start for comment in comments]

    def module(self, module: ast.Module) -> list[Piece]:
        pieces: list[Piece] = []
        previous: ast.Item | None = None
        for item in module.items:
            printed = self.item(item)
            together = type(item) is type(previous) and isinstance(item, GROUPED)
            if previous is not None and not together:
                printed[0] = replace(printed[0], blank_before=True)
            pieces += printed
            previous = item
        return pieces

    def item(self, item: ast.Item) -> list[Piece]:
        if isinstance(item, ast.Flow):
            return self.flow(item)
        if isinstance(item, ast.Schedule):
            return self.block(item.name, "schedule", self.schedule_lines(item), item.span)
        if isinstance(item, ast.QueueDecl):
            lines = [self.line(1, f"{s.name.text} {_values(s.values)}", s.span)
                     for s in item.settings]
            return self.block(item.name, "queue", lines, item.span)
        if isinstance(item, ast.Handlers):
            return self.handlers(item, 0)
        return [self.line(0, one_liner(item), item.span)]

    def line(self, depth: int, text: str, span: Span) -> Piece:
        return Piece(depth, text, self.start(span), self.end(span))

    def block(self, name: ast.Name, keyword: str, inner: list[Piece],
              span: Span, options: tuple[ast.Option, ...] = ()) -> list[Piece]:
        after = self.end(options[-1].span) if options else self.end(name.span)
        brace = self.source.find("{", after)
        settings = "".join(f" {option_text(o)}" for o in options)
        opener = Piece(0, f"{keyword} {name.text}{settings} {{", self.start(span), brace + 1)
        return [opener, *inner, closer(0, "}", self.end(span) - 1)]

    def flow(self, flow: ast.Flow) -> list[Piece]:
        inner = self.handlers(flow.handlers, 1) if flow.handlers else []
        for index, state in enumerate(flow.states):
            inner.append(replace(self.label(state), blank_before=index > 0 or bool(inner)))
            inner += self.body(state.body, 2)
        return self.block(flow.name, "flow", inner, flow.span, flow.options)

    def handlers(self, block: ast.Handlers, depth: int) -> list[Piece]:
        """`handlers {`, one branch per line as in a menu, `}`."""
        start = self.start(block.span)
        pieces = [Piece(depth, "handlers {", start, self.source.find("{", start) + 1)]
        for branch in block.branches:
            pieces += self.branch(branch, depth + 1)
        return [*pieces, closer(depth, "}", self.end(block.span) - 1)]

    def label(self, state: ast.State) -> Piece:
        """`name:`; the implicit `start` state (statements before any label) gets its
        label written out, over an empty source range so it takes no comments."""
        implicit = bool(state.body) and state.body[0].span == state.name.span
        start = self.start(state.name.span)
        end = start if implicit else self.end(state.name.span)
        return Piece(1, f"{state.name.text}:", start, end)

    def schedule_lines(self, schedule: ast.Schedule) -> list[Piece]:
        """Entries in source order; consecutive holiday ranges share one `holiday` line,
        consecutive calendars one `holidays` line, unless a comment stands between them."""
        entries: list[tuple[int, Piece]] = []
        if schedule.timezone is not None:
            entries.append(self._entry(f"timezone {quote(str(schedule.timezone.value))}",
                                       schedule.timezone, schedule.timezone))
        for hours in schedule.hours:
            days = hours.first_day.text + (f"-{hours.last_day.text}" if hours.last_day else "")
            ranges = ", ".join(f"{a.value}-{b.value}" for a, b in hours.ranges)
            entries.append((self.start(hours.span), self.line(1, f"{days} {ranges}", hours.span)))
        for first, last in schedule.holidays:
            text = str(first.value) if first.value == last.value else f"{first.value}..{last.value}"
            entries.append(self._entry(f"holiday {text}", first, last))
        for code in schedule.calendars:
            entries.append(self._entry(f"holidays {quote(str(code.value))}", code, code))
        entries.sort(key=lambda entry: entry[0])
        return self._merge_holidays([piece for _, piece in entries])

    def _entry(self, text: str, first: Literal, last: Literal) -> tuple[int, Piece]:
        start = self.start(first.span)
        return start, Piece(1, text, start, self.end(last.span))

    def _merge_holidays(self, pieces: list[Piece]) -> list[Piece]:
        merged: list[Piece] = []
        for piece in pieces:
            previous = merged[-1] if merged else None
            keyword = piece.text.split(" ", 1)[0]
            if (previous is not None and previous.text.startswith(f"{keyword} ")
                    and keyword in ("holiday", "holidays")
                    and not self._comment_between(previous.end, piece.start)):
                dates = piece.text.removeprefix(f"{keyword} ")
                merged[-1] = replace(previous, text=f"{previous.text}, {dates}", end=piece.end)
            else:
                merged.append(piece)
        return merged

    def _comment_between(self, start: int, end: int) -> bool:
        return any(start <= at < end for at in self.comment_starts)


def option_text(option: ast.Option) -> str:
    return f"{option.name.text} {_values(option.values)}"


def one_liner(item: ast.Item) -> str:
    if isinstance(item, ast.Include):
        return f"include {quote(str(item.path.value))}"
    if isinstance(item, ast.Defaults):
        return "defaults " + " ".join(option_text(o) for o in item.options)
    if isinstance(item, ast.GlobalSet):
        return f"set {item.name.text} = {expression(item.expr)}"
    assert isinstance(item, ast.Route)
    numbers = ", ".join(route_number(n) for n in item.numbers) or "default"
    callers = f" from {', '.join(route_number(c) for c in item.callers)}" if item.callers else ""
    return f"route {numbers}{callers} -> {item.target}"


def _values(values: tuple[ast.Value, ...]) -> str:
    return ", ".join(value(v) for v in values)
