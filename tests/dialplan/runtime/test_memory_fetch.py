"""`fetch` on calls run by the service (in-memory stack), against a real aiohttp server
on 127.0.0.1: the example balance plan answered, slow, down, and not allowed."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import pytest

from dialplan.lookups.mocks import HttpMock
from dialplan.lookups.server import MockServer
from dialplan.machine import trace_records as tr
from tests.dialplan.runtime.in_memory import serving
from tests.support.harness import ROOT

pytestmark = [pytest.mark.memory, pytest.mark.timeout(30)]

BALANCE = (ROOT / "examples/dialplans/balance.dialplan").read_text()
SLOW = "Our systems are slow right now. Please call again later."
REFUSED = "We cannot look up your account right now. Please call again later."


def _plan(server: MockServer) -> str:
    return BALANCE.replace("http://127.0.0.1:8099", server.url).replace("timeout 4s",
                                                                       "timeout 1s")


def _run(tmp_path: Path, mocks: list[HttpMock], check: object, allow: bool = True) -> None:
    async def scenario() -> None:
        server = MockServer(mocks)
        await server.start()
        allowed = (f"{server.url}/v1/",) if allow else ()
        try:
            async with serving(tmp_path, _plan(server), allowed_urls=allowed) as served:
                call = served.call("610")
                await served.until(lambda: len(served.said(call)) == 2 and served.quiet(call))
                served.far_end.press(call, "1234")
                await check(served, call, server)  # type: ignore[operator]
        finally:
            await server.stop()

    asyncio.run(scenario())


def test_the_balance_is_fetched_with_the_secret_and_said(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BANK_TOKEN", "t0ken")

    async def check(served, call, server) -> None:  # type: ignore[no-untyped-def]
        await served.ended(call)
        assert served.said(call)[-1].startswith("Your balance is")
        assert served.trace(call).variables["account.balance"] == 42.5
        request = server.received[0]
        assert request.method == "POST" and request.path == "/v1/accounts/5551234/balance"
        assert request.headers["Authorization"] == "Bearer t0ken"
        assert json.loads(request.body) == {"pin": "1234"}
        assert [r.url for r in served.records(call, tr.Fetch)] == [
            f"{server.url}/v1/accounts/5551234/balance"]

    _run(tmp_path, [HttpMock("/v1/", body='{"balance": 42.5, "currency": "EUR"}')], check)


def test_a_slow_server_takes_the_timeout_branch_and_the_call_goes_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BANK_TOKEN", "t0ken")

    async def check(served, call, server) -> None:  # type: ignore[no-untyped-def]
        started = time.monotonic()
        await served.until(lambda: SLOW in served.said(call))
        assert time.monotonic() - started < 2.0  # the 1 s timeout, not the 10 s server
        await served.ended(call)

    _run(tmp_path, [HttpMock("/v1/", body="{}", delay=10)], check)


def test_a_server_answering_500_takes_the_failed_branch(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BANK_TOKEN", "t0ken")

    async def check(served, call, server) -> None:  # type: ignore[no-untyped-def]
        await served.until(lambda: REFUSED in served.said(call))
        assert served.trace(call).variables["code"] == 500

    _run(tmp_path, [HttpMock("/v1/", status=500, body="{}")], check)


def test_without_allowed_urls_nothing_is_requested(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BANK_TOKEN", "t0ken")

    async def check(served, call, server) -> None:  # type: ignore[no-untyped-def]
        await served.until(lambda: REFUSED in served.said(call))
        assert server.received == []

    _run(tmp_path, [HttpMock("/v1/", body="{}")], check, allow=False)
