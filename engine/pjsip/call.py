"""The pjsua2 ``Call`` subclass: forwards every callback to the hub.

Why so thin: a director callback that raises would propagate into C and abort
the process, so each override only delegates to the hub through
:func:`guarded`, which logs and swallows errors. The session id is ours, never
pjsua's call id (ids are reused, see the notes' second lifetime trap).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

import pjsua2 as pj

LOG = logging.getLogger("engine.pjsip")


def guarded(fn: Callable[..., None]) -> Callable[..., None]:
    """Never let a Python exception escape into pjsua2 (it would abort)."""

    def wrapper(*args: Any) -> None:
        try:
            fn(*args)
        except Exception:
            LOG.exception("error in pjsua2 callback %s", fn.__name__)

    wrapper.__name__ = fn.__name__
    return wrapper


class CallEvents(Protocol):
    """What a call's callbacks tell its owner (the hub), on the pjsua2 thread."""

    def on_call_state(self, call: PjCall) -> None: ...
    def on_media_state(self, call: PjCall) -> None: ...
    def on_dtmf(self, call: PjCall, digit: str, method: str) -> None: ...
    def on_transfer_request(self, call: PjCall, target: str) -> tuple[int, PjCall | None]: ...
    def on_tsx_state(self, call: PjCall, tsx: pj.SipTransaction) -> None: ...
    def on_transfer_status(self, call: PjCall, status: int, reason: str, final: bool) -> None:
        ...
    def on_replaced(self, call: PjCall, new_call_id: int) -> PjCall: ...


class PjCall(pj.Call):
    """One call leg, tagged with our session id."""

    def __init__(
        self,
        account: pj.Account,
        session_id: str,
        hub: CallEvents,
        call_id: int = pj.PJSUA_INVALID_ID,
    ) -> None:
        super().__init__(account, call_id)
        self.session_id = session_id
        self.account = account
        self._hub = hub

    @guarded
    def onCallState(self, prm: pj.OnCallStateParam) -> None:
        self._hub.on_call_state(self)

    @guarded
    def onCallMediaState(self, prm: pj.OnCallMediaStateParam) -> None:
        self._hub.on_media_state(self)

    @guarded
    def onDtmfDigit(self, prm: pj.OnDtmfDigitParam) -> None:
        method = "sip_info" if prm.method == pj.PJSUA_DTMF_METHOD_SIP_INFO else "rfc2833"
        self._hub.on_dtmf(self, prm.digit, method)

    @guarded
    def onCallTransferRequest(self, prm: pj.OnCallTransferRequestParam) -> None:
        prm.statusCode = 603  # if the hub fails, refuse: never dial on an error path
        status, new = self._hub.on_transfer_request(self, prm.dstUri)
        prm.statusCode = status
        if new is not None:
            prm.newCall = new

    @guarded
    def onCallTsxState(self, prm: pj.OnCallTsxStateParam) -> None:
        if prm.e.type == pj.PJSIP_EVENT_TSX_STATE:
            self._hub.on_tsx_state(self, prm.e.body.tsxState.tsx)

    @guarded
    def onCallTransferStatus(self, prm: pj.OnCallTransferStatusParam) -> None:
        self._hub.on_transfer_status(self, prm.statusCode, prm.reason, prm.finalNotify)

    @guarded
    def onCallReplaced(self, prm: pj.OnCallReplacedParam) -> None:
        if prm.newCall is None:
            prm.newCall = self._hub.on_replaced(self, prm.newCallId)
