"""Performing a Fetch with aiohttp's client, as a task of the call: the call's loop never
waits on it, and the machine's own timer takes `timeout` if the server is slow or down.

Every URL is checked against `[serve] allowed_urls` before it is requested, and so is
every redirect: aiohttp is told not to follow them, and this module follows at most
MAX_REDIRECTS that stay allowed. Secrets (`$NAME` in header values) are read from the
environment here and nowhere else. Bodies are asked for uncompressed and a compressed
one is refused unread (so no gzip bomb is ever inflated); a body is read up to its
limit and no further, then becomes variables through lookups/results.py. Anything but
a 2xx with a JSON (or empty) body is `failed`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import aiohttp
from yarl import URL

from ..lookups.results import DEFAULT_LIMITS, Limits, Refused, decode
from ..lookups.secrets import fill_secrets
from ..lookups.urls import allowed
from ..machine import commands as cmd
from ..machine import events as ev

MAX_REDIRECTS = 3
REDIRECTS = (301, 302, 303, 307, 308)
GRACE = 1.0  # seconds past the machine's timeout before the client gives up too
log = logging.getLogger(__name__)


class Failed(Exception):
    """The lookup cannot give variables; the message says why, `status` what came."""

    def __init__(self, problem: str, status: int = 0) -> None:
        super().__init__(problem)
        self.status = status


class Fetcher:
    """The service's one HTTP client: connections to the lookup servers are kept alive
    between calls (a new client per lookup costs ~6 ms on loopback, a kept one ~0.5 ms).
    No cookie jar, so nothing a server sets on one call is sent on another's lookup; no
decompression (bodies are asked for uncompressed, a compressed one is refused unread).
    The client is made on the first lookup, inside the running loop; `close` at stop."""

    def __init__(self, environ: Mapping[str, str] = os.environ,
                 limits: Limits = DEFAULT_LIMITS) -> None:
        self.environ, self.limits = environ, limits
        self._session: aiohttp.ClientSession | None = None

    async def fetch(self, command: cmd.Fetch, allowed_urls: Sequence[str],
                    post: Callable[[ev.Event], None]) -> None:
        """Perform `command` and post its FetchResult."""
        try:
            status, values = await self._lookup(command, allowed_urls)
        except Failed as failure:
            log.info("fetch %s failed: %s", command.var, failure)
            post(ev.FetchResult(command.request, "failed", failure.status,
                                problem=str(failure)))
            return
        post(ev.FetchResult(command.request, "ok", status, tuple(values.items())))

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._session = aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar(),
                                                  auto_decompress=False)
        return self._session

    async def _lookup(self, command: cmd.Fetch, allowed_urls: Sequence[str]
                      ) -> tuple[int, dict[str, Any]]:
        headers = _headers(command, self.environ)
        timeout = aiohttp.ClientTimeout(total=command.timeout + GRACE)
        url, method, body = URL(command.url, encoded=True), command.method, _body(command)
        try:
            for _ in range(MAX_REDIRECTS + 1):
                if not allowed(str(url), allowed_urls):
                    raise Failed(f"{url} is not in [serve] allowed_urls")
                async with self._client().request(
                        method, url, headers=headers, allow_redirects=False, timeout=timeout,
                        **body) as response:
                    if response.status not in REDIRECTS:
                        return response.status, await _values(command.var, response,
                                                              self.limits)
                    url = url.join(URL(response.headers.get("Location", "")))
                    if response.status == 303:
                        method, body = "GET", {}
        except (aiohttp.ClientError, TimeoutError, ValueError) as error:
            raise Failed(f"{type(error).__name__}: {error}") from error
        raise Failed(f"more than {MAX_REDIRECTS} redirects")


def _headers(command: cmd.Fetch, environ: Mapping[str, str]) -> dict[str, str]:
    headers = {"Accept": "application/json", "Accept-Encoding": "identity"}
    for name, value in command.headers:
        filled, missing = fill_secrets(value, environ)
        if filled is None:
            raise Failed(f"secret ${missing[0]} is not set in the service's environment")
        headers[name] = filled
    return headers


def _body(command: cmd.Fetch) -> dict[str, Any]:
    if command.body_kind == "json":
        return {"json": dict(command.body)}
    if command.body_kind == "form":
        return {"data": dict(command.body)}
    return {}


async def _values(var: str, response: aiohttp.ClientResponse, limits: Limits
                  ) -> dict[str, Any]:
    if not 200 <= response.status < 300:
        raise Failed(f"HTTP {response.status}", response.status)
    encoding = response.headers.get("Content-Encoding", "identity").lower()
    if encoding != "identity":  # inflating could take any memory: never asked for
        raise Failed(f"the body is compressed ({encoding})", response.status)
    if (response.content_length or 0) > limits.max_bytes:
        raise Failed(f"the body is over {limits.max_bytes} bytes", response.status)
    body = bytearray()
    async for chunk in response.content.iter_chunked(16_384):
        body += chunk
        if len(body) > limits.max_bytes:
            raise Failed(f"the body is over {limits.max_bytes} bytes", response.status)
    try:
        return decode(var, bytes(body), limits)
    except Refused as refused:
        raise Failed(str(refused), response.status) from refused
