"""Formatting files on disk: read, format, and write back atomically.

A file is replaced in one `os.replace` of a finished temporary file beside it, so a
crash or a full disk never leaves half a dialplan behind; its permissions are kept.
"""

from __future__ import annotations

import difflib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic, Report
from ..loader import BOM
from ..source import Span
from .api import format_source


@dataclass
class FileResult:
    path: str
    before: str = ""
    after: str | None = None  # None: not formatted (unreadable, not UTF-8, syntax errors)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    io_error: str | None = None

    @property
    def changed(self) -> bool:
        return self.after is not None and self.after != self.before

    def diff(self) -> str:
        lines = difflib.unified_diff(self.before.splitlines(keepends=True),
                                     (self.after or "").splitlines(keepends=True),
                                     f"{self.path}", f"{self.path}")
        return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def format_file(path: str) -> FileResult:
    """Read and format one file; nothing is written."""
    result = FileResult(path)
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        result.io_error = error.strerror or str(error)
        return result
    try:
        result.before = data.decode("utf-8")
    except UnicodeDecodeError as error:
        report = Report()
        report.emit("E203", Span(path, 1, 1, 1, 1), path=path, offset=error.start)
        result.diagnostics = report.diagnostics
        return result
    # A byte order mark is no character of the plan (the checker drops it too): the plan
    # after it is formatted, and the mark is kept, so that it alone never counts as a change.
    bom = BOM if result.before.startswith(BOM) else ""
    formatted = format_source(result.before.removeprefix(BOM), path)
    result.diagnostics = formatted.diagnostics
    result.after = None if formatted.text is None else bom + formatted.text
    return result


def write_atomically(path: str, text: str) -> None:
    target = Path(path)
    mode = target.stat().st_mode & 0o7777
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                         suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
