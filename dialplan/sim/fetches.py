"""Answering a plan's fetches from a scenario's mocks, by the service's own rules.

The mock's body becomes variables exactly as a real response would (lookups/results.py:
the same bounds, non-JSON and non-2xx fail), so a scenario that passes here fails
nothing on a live call for want of a rule the simulator did not apply.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..lookups.mocks import HttpMock, find_mock
from ..lookups.results import Refused, decode
from ..machine import commands as cmd
from ..machine import events as ev


def answer(command: cmd.Fetch, mocks: Sequence[HttpMock]) -> tuple[ev.FetchResult, float]:
    """The FetchResult for `command` and the seconds after which it comes."""
    mock = find_mock(command.url, mocks)
    if mock is None:
        return _failed(command, 0, f"no `http` mock for {command.url}"), 0.0
    if mock.down:
        return _failed(command, 0, "connection refused (the mock is down)"), mock.delay
    if not 200 <= mock.status < 300:
        return _failed(command, mock.status, f"HTTP {mock.status}"), mock.delay
    try:
        values = decode(command.var, mock.body.encode())
    except Refused as refused:
        return _failed(command, mock.status, str(refused)), mock.delay
    return ev.FetchResult(command.request, "ok", mock.status, tuple(values.items())), mock.delay


def _failed(command: cmd.Fetch, status: int, problem: str) -> ev.FetchResult:
    return ev.FetchResult(command.request, "failed", status, problem=problem)
