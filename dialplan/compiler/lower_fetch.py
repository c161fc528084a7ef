"""Lowering of `fetch`: the URL's origin literal, headers literal (secrets by `$NAME`),
body entries as `key=template`, the method, and the ok/failed/timeout branches."""

from __future__ import annotations

import re
from typing import Any

from .. import plan
from ..diagnostics import Report
from ..lookups.urls import origin_problem
from ..source import Span
from ..syntax import ast
from ..syntax.exprs import Literal
from .checks import BUILTIN_VARS, check_template, is_template

METHODS = ("get", "post", "put", "delete")
_HEADER = re.compile(r"(?P<name>[A-Za-z0-9-]{1,64}):[ \t]*(?P<value>[^\r\n]*)")
_BODY_KEY = re.compile(r"[A-Za-z0-9_.-]{1,64}")
# Set by the HTTP client from the URL and body; a plan writing them would confuse it.
RESERVED_HEADERS = frozenset({"host", "content-length", "transfer-encoding", "connection"})


def header_problem(header: str) -> str | None:
    match = _HEADER.fullmatch(header)
    if match is None:
        return "write it as `Name: value` on one line"
    if match.group("name").lower() in RESERVED_HEADERS:
        return "the HTTP client sets this header itself"
    if is_template(header):
        return "header values are literal; use `$NAME` for a secret from the environment"
    return None


def _headers(values: tuple[str, ...], span: Span, report: Report
             ) -> tuple[tuple[str, str], ...]:
    headers = []
    for header in values:
        problem = header_problem(header)
        if problem is not None:
            report.emit("E521", span, header=header, detail=problem)
            continue
        name, _, value = header.partition(":")
        headers.append((name, value.strip()))
    return tuple(headers)


def _body(values: tuple[str, ...], span: Span, known: set[str], report: Report
          ) -> tuple[tuple[str, str], ...]:
    body = []
    for entry in values:
        key, equals, template = entry.partition("=")
        if not equals or not _BODY_KEY.fullmatch(key.strip()):
            report.emit("E522", span, entry=entry, detail="write it as `key=value` "
                        "(the key: letters, digits, `_`, `.` or `-`)")
            continue
        check_template(template, span, known, report)
        body.append((key.strip(), template))
    return tuple(body)


def _method(action: ast.Action, options: dict[str, Any], has_body: bool, report: Report
            ) -> str:
    method = str(options.get("method", "post" if has_body else "get"))
    if method not in METHODS:
        report.emit("E523", action.span, name=method, valid=", ".join(METHODS))
        return "GET"
    if has_body and method in ("get", "delete"):
        report.emit("E416", action.span, verb="fetch",
                    detail=f"a `{method}` request has no body (`json` or `form`)")
    return method.upper()


def lower_fetch(action: ast.Action, options: dict[str, Any], known: set[str],
                report: Report) -> plan.Fetch:
    """The Fetch action of a `fetch NAME "url" ...` statement (problems reported)."""
    name, url = action.args[0], action.args[1]
    assert isinstance(name, ast.Name) and isinstance(url, Literal)
    for stored in (name.text, options.get("status")):
        if stored in BUILTIN_VARS:  # a server must not rewrite who is calling
            report.emit("E524", name.span, name=stored)
    if problem := origin_problem(str(url.value)):
        report.emit("E520", url.span, url=str(url.value), detail=problem)
    else:
        check_template(str(url.value), url.span, known, report)
    if "json" in options and "form" in options:
        report.emit("E416", action.span, verb="fetch",
                    detail="a body is either `json` or `form`, not both")
    kind = "json" if "json" in options else "form" if "form" in options else ""
    body = _body(options.get(kind, ()), action.span, known, report) if kind else ()
    return plan.Fetch(
        var=name.text, url=str(url.value), method=_method(action, options, bool(kind), report),
        timeout=options.get("timeout", 5.0),
        headers=_headers(options.get("headers", ()), action.span, report),
        body=body, body_kind=kind, status_var=options.get("status"))
