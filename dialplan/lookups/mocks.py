"""HTTP responses a scenario declares for the URLs its plan fetches (`http` lines).

The simulator answers a fetch with the mock whose URL is the longest prefix of the
requested one (an exact URL is the longest of all); `dialplan test --live` serves the
same mocks from a real local server. A fetch no mock answers fails, as a server that
is down would.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class HttpMock:
    url: str  # a URL or the start of one
    status: int = 200
    body: str = ""  # the response body: JSON text, or anything to test `failed`
    delay: float = 0.0  # seconds before the answer (past the fetch's timeout: `timeout`)
    down: bool = False  # no answer at all: the connection is refused
    location: str = ""  # a redirect's target (with a 3xx status)
    headers: tuple[tuple[str, str], ...] = ()  # more response headers (Set-Cookie...)


def find_mock(url: str, mocks: Iterable[HttpMock]) -> HttpMock | None:
    """The mock for `url` (a mock written as a path, `/v1/`, matches a path given)."""
    matching = [mock for mock in mocks if url.startswith(mock.url)]
    return max(matching, key=lambda mock: len(mock.url), default=None)
