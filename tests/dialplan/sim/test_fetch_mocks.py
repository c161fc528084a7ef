"""Fetches in the simulator: answered from mocks by the service's rules, on the virtual
clock (a delay past the timeout is a `timeout`), never from the network."""

from __future__ import annotations

from dialplan.lookups.mocks import HttpMock
from dialplan.sim import perceived as seen
from dialplan.sim.call import VirtualCall
from tests.dialplan.transcript import compile_ok

PLAN = compile_ok("""
route 100 -> main
flow main {
  start:
    answer
    fetch r "https://api.example/v1/{{ caller }}" timeout 2s status code {
      ok -> say "ok"
      failed -> say "failed"
      timeout -> say "slow"
    }
    hangup
}
""")


def _call(*mocks: HttpMock) -> VirtualCall:
    call = VirtualCall(PLAN, http=mocks)
    call.start()
    return call


def _said(call: VirtualCall) -> list[str]:
    return [item.text for item in call.transcript if isinstance(item, seen.Heard)]


def test_the_longest_matching_mock_answers_and_sets_variables() -> None:
    call = _call(HttpMock("https://api.example/", status=500),
                 HttpMock("https://api.example/v1/", body='{"n": [1, 2]}'))
    assert seen.Fetched("GET", "https://api.example/v1/5551234") in call.transcript
    assert _said(call) == ["ok"]
    assert call.variables["r.n.count"] == 2 and call.variables["code"] == 200


def test_a_delay_past_the_timeout_is_a_timeout_on_the_virtual_clock() -> None:
    call = _call(HttpMock("https://api.example/", body="{}", delay=5))
    assert _said(call) == []
    call.wait(2)
    assert _said(call) == ["slow"] and call.variables["code"] == 0
    call.wait(5)
    assert _said(call) == ["slow"]


def test_a_delay_within_the_timeout_answers_after_it() -> None:
    call = _call(HttpMock("https://api.example/", body="{}", delay=1))
    call.wait(0.5)
    assert _said(call) == []
    call.wait(0.6)
    assert _said(call) == ["ok"]


def test_no_mock_a_down_mock_or_nonsense_fails() -> None:
    assert _said(_call()) == ["failed"]
    assert _said(_call(HttpMock("https://api.example/", down=True))) == ["failed"]
    assert _said(_call(HttpMock("https://api.example/", body="<html>"))) == ["failed"]
