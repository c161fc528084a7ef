"""The runtime's HTTP lookups against a real aiohttp server on 127.0.0.1: answering,
failing, slow, oversized, deep, not JSON, redirecting out of bounds, and secrets."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Sequence

import pytest

from dialplan.lookups.mocks import HttpMock
from dialplan.lookups.server import MockServer
from dialplan.lookups.urls import render_url
from dialplan.machine import commands as cmd
from dialplan.machine import events as ev
from dialplan.runtime.fetcher import Fetcher

pytestmark = pytest.mark.timeout(30)
ACCOUNT = json.dumps({"balance": 42.5, "items": [{"name": "tea"}]})


async def _fetch(server: MockServer, path: str, allowed: Sequence[str] | None = None,
                 **fields: object) -> ev.FetchResult:
    results: list[ev.Event] = []
    command = cmd.Fetch(1, "account", server.url + path, **fields)  # type: ignore[arg-type]
    fetcher = Fetcher(environ={"API_TOKEN": "s3cr3t"})
    try:
        await fetcher.fetch(command, [f"{server.url}/"] if allowed is None else allowed,
                            results.append)
    finally:
        await fetcher.close()
    assert len(results) == 1 and isinstance(results[0], ev.FetchResult)
    return results[0]


def _run(mocks: list[HttpMock], check: object) -> MockServer:
    async def scenario() -> MockServer:
        server = MockServer(mocks)
        await server.start()
        try:
            await check(server)  # type: ignore[operator]
        finally:
            await server.stop()
        return server

    return asyncio.run(scenario())


def test_an_answer_becomes_variables_and_its_status() -> None:
    async def check(server: MockServer) -> None:
        result = await _fetch(server, "/v1/accounts/1")
        assert (result.outcome, result.status) == ("ok", 200)
        assert dict(result.values) == {"account.balance": 42.5, "account.items.count": 1,
                                       "account.items.0.name": "tea"}

    _run([HttpMock("/v1/accounts/", body=ACCOUNT)], check)


def test_a_server_error_fails_with_its_status() -> None:
    async def check(server: MockServer) -> None:
        result = await _fetch(server, "/boom")
        assert (result.outcome, result.status, result.problem) == ("failed", 500, "HTTP 500")

    _run([HttpMock("/boom", status=500, body='{"error": "x"}')], check)


@pytest.mark.parametrize(("body", "why"), [
    ("x" * 200_000, "over 65536 bytes"),
    ("[" * 40 + "]" * 40, "nested deeper"),
    ("<html>maintenance</html>", "not JSON"),
])
def test_oversized_deep_or_non_json_bodies_fail(body: str, why: str) -> None:
    async def check(server: MockServer) -> None:
        result = await _fetch(server, "/x")
        assert result.outcome == "failed" and why in result.problem

    _run([HttpMock("/x", body=body)], check)


def test_a_slow_server_is_given_up_on_after_the_timeout_and_a_grace() -> None:
    async def check(server: MockServer) -> None:
        started = time.monotonic()
        result = await _fetch(server, "/slow", timeout=0.2)
        assert result.outcome == "failed" and "Timeout" in result.problem
        assert time.monotonic() - started < 2.0

    _run([HttpMock("/slow", body="{}", delay=5)], check)


def test_a_server_that_is_down_fails() -> None:
    async def check(server: MockServer) -> None:
        closed = MockServer([])
        await closed.start()
        await closed.stop()
        result = await _fetch(closed, "/x", allowed=[f"{closed.url}/"])
        assert (result.outcome, result.status) == ("failed", 0)

    _run([], check)


def test_a_redirect_outside_allowed_urls_is_not_followed() -> None:
    elsewhere = MockServer([HttpMock("/", body="{}")], host="127.0.0.2")

    async def check(server: MockServer) -> None:
        await elsewhere.start()
        try:
            server.mocks.append(HttpMock("/out", status=302, location=elsewhere.url + "/x"))
            result = await _fetch(server, "/out")
        finally:
            await elsewhere.stop()
        assert result.outcome == "failed" and "not in [serve] allowed_urls" in result.problem
        assert elsewhere.received == []

    _run([], check)


def test_a_redirect_within_allowed_urls_is_followed() -> None:
    async def check(server: MockServer) -> None:
        result = await _fetch(server, "/old")
        assert result.outcome == "ok" and dict(result.values) == {"account.balance": 42.5,
                                                                   "account.items.count": 1,
                                                                   "account.items.0.name": "tea"}

    _run([HttpMock("/old", status=307, location="/v1/new"), HttpMock("/v1/new", body=ACCOUNT)],
         check)


def test_a_url_outside_allowed_urls_is_never_requested() -> None:
    async def check(server: MockServer) -> None:
        result = await _fetch(server, "/private", allowed=[f"{server.url}/public/"])
        assert result.outcome == "failed" and server.received == []

    _run([HttpMock("/", body="{}")], check)


def test_secrets_are_filled_in_from_the_environment_and_bodies_sent() -> None:
    async def check(server: MockServer) -> None:
        result = await _fetch(server, "/pins", method="POST", body_kind="json",
                              headers=(("Authorization", "Bearer $API_TOKEN"),),
                              body=(("pin", "1234"), ("caller", '"; drop')))
        assert result.outcome == "ok"
        seen = server.received[0]
        assert seen.headers["Authorization"] == "Bearer s3cr3t"
        assert json.loads(seen.body) == {"pin": "1234", "caller": '"; drop'}

    _run([HttpMock("/pins", body="{}")], check)


def test_a_missing_secret_fails_without_a_request() -> None:
    async def check(server: MockServer) -> None:
        result = await _fetch(server, "/x", headers=(("X-Key", "$NOT_SET"),))
        assert result.outcome == "failed" and "NOT_SET" in result.problem
        assert server.received == []

    _run([HttpMock("/", body="{}")], check)


def test_a_hostile_caller_value_reaches_the_server_as_one_quoted_segment() -> None:
    async def check(server: MockServer) -> None:
        url, _ = render_url(server.url + "/v1/accounts/{{ caller }}",
                            {"caller": "1@evil.example:80/x?y#z"})
        assert url is not None
        results: list[ev.Event] = []
        fetcher = Fetcher()
        await fetcher.fetch(cmd.Fetch(1, "a", url), [f"{server.url}/v1/"], results.append)
        await fetcher.close()
        assert server.received[0].path == "/v1/accounts/1%40evil.example%3A80%2Fx%3Fy%23z"

    _run([HttpMock("/v1/", body="{}")], check)


def test_cookies_a_server_sets_are_not_sent_on_later_lookups() -> None:
    async def check(server: MockServer) -> None:
        fetcher = Fetcher()
        try:
            for _ in range(2):
                await fetcher.fetch(cmd.Fetch(1, "a", server.url + "/c"), [f"{server.url}/"],
                                    lambda event: None)
        finally:
            await fetcher.close()
        assert [r.headers.get("Cookie") for r in server.received] == [None, None]

    _run([HttpMock("/c", body="{}", headers=(("Set-Cookie", "session=caller-1"),))], check)


def test_a_compressed_body_is_refused_unread() -> None:
    async def check(server: MockServer) -> None:
        result = await _fetch(server, "/gz")
        assert result.outcome == "failed" and "gzip" in result.problem
        assert server.received[0].headers["Accept-Encoding"] == "identity"

    # what follows the header is never read, so never inflated: its content does not matter
    _run([HttpMock("/gz", body="x" * 1000, headers=(("Content-Encoding", "gzip"),))], check)


def test_a_mock_that_is_down_closes_the_connection_unanswered() -> None:
    async def check(server: MockServer) -> None:
        result = await _fetch(server, "/down")
        assert (result.outcome, result.status) == ("failed", 0)
        assert "Disconnected" in result.problem

    _run([HttpMock("/down", down=True)], check)


def test_a_secret_with_a_line_break_cannot_add_a_header() -> None:
    async def check(server: MockServer) -> None:
        results: list[ev.Event] = []
        fetcher = Fetcher(environ={"TOKEN": "x\r\nX-Evil: 1"})
        try:
            await fetcher.fetch(cmd.Fetch(1, "a", server.url + "/x",
                                          headers=(("Authorization", "$TOKEN"),)),
                                [f"{server.url}/"], results.append)
        finally:
            await fetcher.close()
        result = results[0]
        assert isinstance(result, ev.FetchResult) and result.outcome == "failed"
        assert all("X-Evil" not in r.headers for r in server.received)

    _run([HttpMock("/", body="{}")], check)
