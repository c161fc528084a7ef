"""Call-control operations, run on the pjsua2 thread by the stack facade.

Why separate functions: each one is a small unit of pjsua2 work submitted
through the worker's queue; they translate our snake_case intent into the
pjsua2 calls the notes found to work (setHold, reinvite with UNHOLD, xfer...).
"""

from __future__ import annotations

import contextlib
import logging

import pjsua2 as pj

from engine.pjsip.call import PjCall
from engine.pjsip.hub import Hub, audio_status

LOG = logging.getLogger("engine.pjsip")

DTMF_METHODS = {"rfc2833": pj.PJSUA_DTMF_METHOD_RFC2833, "sip_info": pj.PJSUA_DTMF_METHOD_SIP_INFO}


def make_call(hub: Hub, session_id: str, from_uri: str | None, to_uri: str) -> None:
    """Send an INVITE; the Call stays registered until DISCONNECTED."""
    account = hub.accounts.for_from(from_uri)
    call = PjCall(account, session_id, hub)
    hub.register(call)
    try:
        call.makeCall(to_uri, pj.CallOpParam(True))
    except pj.Error:
        hub.calls.pop(session_id, None)
        hub.media.pop(session_id, None)
        raise


def answer(hub: Hub, session_id: str, status: int = 200, reason: str = "") -> None:
    prm = pj.CallOpParam()
    prm.statusCode = status
    if reason:
        prm.reason = reason
    hub.call(session_id).answer(prm)


def hangup(hub: Hub, session_id: str, status: int = 0, reason: str = "", contact: str = "") -> None:
    """BYE, CANCEL or a final error/redirect response, depending on the call's state."""
    call = hub.calls.get(session_id)
    if call is None:
        return  # already gone: hanging up is idempotent
    if audio_status(call) == pj.PJSUA_CALL_MEDIA_ACTIVE and _received(call) == 0:
        # the far end's audio (and its RFC 2833 digits) never arrived: say which call
        LOG.info("call %s (Call-ID %s): hung up without any RTP received", session_id,
                 call.getInfo().callIdString)
    prm = pj.CallOpParam()
    prm.statusCode = status
    if reason:
        prm.reason = reason
    if contact:
        header = pj.SipHeader()
        header.hName = "Contact"
        header.hValue = f"<{contact}>"
        prm.txOption.headers.append(header)
    call.hangup(prm)


def hold(hub: Hub, session_id: str) -> None:
    hub.call(session_id).setHold(pj.CallOpParam(True))


def resume(hub: Hub, session_id: str) -> None:
    prm = pj.CallOpParam(True)
    prm.opt.flag = pj.PJSUA_CALL_UNHOLD
    hub.call(session_id).reinvite(prm)


def transfer(hub: Hub, session_id: str, target_uri: str) -> None:
    """Blind transfer: REFER to ``target_uri``; progress arrives as signals."""
    hub.call(session_id).xfer(target_uri, pj.CallOpParam(True))


def transfer_attended(hub: Hub, session_id: str, other_session_id: str) -> None:
    """Attended transfer: REFER with Replaces pointing at our other call."""
    other = hub.call(other_session_id)
    hub.call(session_id).xferReplaces(other, pj.CallOpParam(True))


def send_dtmf(hub: Hub, session_id: str, digits: str, method: str) -> None:
    prm = pj.CallSendDtmfParam()
    prm.digits = digits
    prm.method = DTMF_METHODS[method]
    hub.call(session_id).sendDtmf(prm)


def rx_packets(hub: Hub, session_id: str) -> int:
    """RTP packets received so far on the call's audio stream (0 without media)."""
    call = hub.calls.get(session_id)
    return 0 if call is None else _received(call)


def _received(call: PjCall) -> int:
    if not call.hasMedia():
        return 0
    try:
        return int(call.getStreamStat(0).rtcp.rxStat.pkt)
    except pj.Error:
        return 0


def hangup_all(hub: Hub) -> None:
    for call in list(hub.calls.values()):
        prm = pj.CallOpParam()
        with contextlib.suppress(pj.Error):
            call.hangup(prm)
