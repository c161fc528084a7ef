"""Typed call failures, without SIP."""

from __future__ import annotations

from engine.errors import CallBusy, CallFailed, CallTimeout, call_failed


def test_call_failed_picks_the_typed_error_and_keeps_the_status():
    busy = call_failed(486, "Busy Here")
    assert isinstance(busy, CallBusy) and busy.status == 486
    assert isinstance(call_failed(408, "Request Timeout"), CallTimeout)
    odd = call_failed(488, "Not Acceptable Here")
    assert type(odd) is CallFailed and odd.status == 488
