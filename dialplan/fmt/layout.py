"""Output lines, and where the comments go among them.

The printer turns the AST into `Piece`s: one output line each, with the source range it
prints. The layout emits them in source order and places every comment by position:
a comment before a piece goes on its own line above it, a comment inside a piece's
range or on the same source line as its end goes at the end of that line. So a comment
stays with the statement it was on or before, and comments keep their order.

Blank lines: the printer asks for them between top-level items and between states; a
blank source line next to a comment is kept (at most one), other blank lines are not.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

from .source import Comment, SourceMap

INDENT = "  "


@dataclass(frozen=True)
class Piece:
    """One output line: `text` at `depth`, printing the source offsets [start, end).

    A `closer` starts with the `}` of a block: comments before it belong inside the
    block, one level deeper. `blank_before` asks for a blank line above (and above the
    comments that lead into it)."""

    depth: int
    text: str
    start: int
    end: int
    closer: bool = False
    blank_before: bool = False


@dataclass
class Line:
    depth: int
    text: str
    end_line: int  # source line the printed content ends on: trailing comments join it
    comment: bool = False
    opens: bool = False
    trailing: list[str] = field(default_factory=list)


class Layout:
    def __init__(self, source: SourceMap, comments: Iterable[Comment]) -> None:
        self.source = source
        self.pending = deque(comments)
        self.lines: list[Line | None] = []  # None is a blank line
        self.last_source_line = 0
        self.want_blank = False

    def emit(self, pieces: Iterable[Piece]) -> None:
        for piece in pieces:
            self._emit(piece)

    def _emit(self, piece: Piece) -> None:
        self.want_blank = self.want_blank or piece.blank_before
        self._flush(piece.start, piece.depth + piece.closer)
        start_line = self.source.line_of(piece.start)
        last = self._last()
        if last is not None and last.comment and start_line - self.last_source_line >= 2:
            self._blank()
        self._break()
        end_line = self.source.line_of(max(piece.start, piece.end - 1))
        line = Line(piece.depth, piece.text, end_line,
                    opens=piece.text.endswith(("{", ":")))
        self.lines.append(line)
        # A comment inside that cannot follow a `//` one waits for the next piece.
        while self.pending and self.pending[0].start < piece.end and self._trail(line):
            line.trailing.append(self.pending.popleft().text)
        self.last_source_line = max(end_line, self.last_source_line)

    def _flush(self, before: int, depth: int) -> None:
        """Place the comments that start before offset `before`."""
        while self.pending and self.pending[0].start < before:
            comment = self.pending.popleft()
            self._place(comment, depth)
            self.last_source_line = comment.end_line

    def _place(self, comment: Comment, depth: int) -> None:
        """At the end of the last line when on its source line and no `//` comment
        ends it already; else on a line of its own."""
        last = self._last()
        if last is not None and last.end_line == comment.line and self._trail(last):
            last.trailing.append(comment.text)
            last.end_line = comment.end_line
        else:
            self._own_line(comment, depth)

    @staticmethod
    def _trail(line: Line) -> bool:
        return not (line.trailing and line.trailing[-1].startswith("//"))

    def _own_line(self, comment: Comment, depth: int) -> None:
        last = self._last()
        gap = comment.line - self.last_source_line >= 2
        if gap and last is not None and not last.opens:
            self._blank()
        self._break()
        self.lines.append(Line(depth, comment.text, comment.end_line, comment=True))

    def _break(self) -> None:
        """A blank line asked for by the printer, unless at the top or after one."""
        if self.want_blank and self.lines and self.lines[-1] is not None:
            self.lines.append(None)
        self.want_blank = False

    def _blank(self) -> None:
        if self.lines and self.lines[-1] is not None:
            self.lines.append(None)

    def _last(self) -> Line | None:
        return self.lines[-1] if self.lines else None

    def finish(self) -> str:
        """Place the comments left after the last piece and render the text."""
        self._flush(len(self.source.text) + 1, 0)
        return render(self.lines)


def render(lines: list[Line | None]) -> str:
    """The text: comments trailing a run of neighbouring lines at one depth are aligned."""
    out: list[str] = []
    run: list[Line] = []
    for line in [*lines, None]:
        if run and (line is None or line.depth != run[-1].depth):
            out.extend(_aligned(run))
            run = []
        if line is not None and line.trailing and not line.comment:
            run.append(line)
            continue
        out.extend(_aligned(run))
        run = []
        if line is not None:
            out.append(_code(line) + _comments(line.trailing, " "))
        elif out and out[-1]:
            out.append("")
    while out and not out[-1]:
        out.pop()
    text = "\n".join(part.rstrip() for chunk in out for part in chunk.split("\n"))
    return text + "\n" if text else ""


def _aligned(run: list[Line]) -> list[str]:
    width = max((len(_code(line)) for line in run), default=0)
    return [_code(line).ljust(width) + _comments(line.trailing, "  ") for line in run]


def _code(line: Line) -> str:
    return INDENT * line.depth + line.text


def _comments(trailing: list[str], gap: str) -> str:
    return gap + " ".join(trailing) if trailing else ""
