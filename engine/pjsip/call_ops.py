"""Call-control operations, run on the pjsua2 thread by the stack facade.

Why separate functions: each one is a small unit of pjsua2 work submitted
through the worker's queue; they translate our snake_case intent into the
pjsua2 calls the notes found to work (setHold, reinvite with UNHOLD, xfer...).
"""

from __future__ import annotations

import contextlib
import logging
import time

import pjsua2 as pj

from engine.pjsip.admission import end_unanswered
from engine.pjsip.call import PjCall
from engine.pjsip.gate import RETRY_AFTER_SECONDS
from engine.pjsip.hub import Hub
from engine.pjsip.media import audio_status
from engine.stack import ReferRule

LOG = logging.getLogger("engine.pjsip")

DTMF_METHODS = {"rfc2833": pj.PJSUA_DTMF_METHOD_RFC2833, "sip_info": pj.PJSUA_DTMF_METHOD_SIP_INFO}
# An RFC 2833 digit goes out on the bridge's ticks: 160 ms of event packets (pjsua's
# default duration) and the end packets, so the clock must tick that long per digit.
RFC2833_SECONDS_PER_DIGIT = 0.25


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
    """BYE, CANCEL or a final error/redirect response, depending on the call's state.

    A 503 carries Retry-After (a dispatcher then tries elsewhere, a phone waits).
    An INVITE of ours that got no response at all is ended at once (see
    ``admission.end_unanswered``) instead of holding its slot until Timer B."""
    call = hub.calls.get(session_id)
    if call is None or end_unanswered(hub, session_id):
        return  # already gone: hanging up is idempotent
    if call.getId() < 0:  # never placed: pjsua asserts on hanging it up
        hub.release_session(session_id)
        return
    if audio_status(call) == pj.PJSUA_CALL_MEDIA_ACTIVE and _received(call) == 0:
        # the far end's audio (and its RFC 2833 digits) never arrived: say which call
        LOG.info("call %s (Call-ID %s): hung up without any RTP received", session_id,
                 call.getInfo().callIdString)
    prm = pj.CallOpParam()
    prm.statusCode = status
    if reason:
        prm.reason = reason
    if contact:
        prm.txOption.headers.append(_header("Contact", f"<{contact}>"))
    if status == 503:
        prm.txOption.headers.append(_header("Retry-After", str(RETRY_AFTER_SECONDS)))
    call.hangup(prm)


def _header(name: str, value: str) -> pj.SipHeader:
    header = pj.SipHeader()
    header.hName = name
    header.hValue = value
    return header


def allow_refer(hub: Hub, session_id: str, rule: ReferRule | None) -> None:
    """What a REFER from this session's far end gets (None: refused, the default)."""
    hub.call(session_id)
    if rule is None:
        hub.refer_rules.pop(session_id, None)
    else:
        hub.refer_rules[session_id] = rule


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
    if prm.method == pj.PJSUA_DTMF_METHOD_RFC2833:
        media = hub.media[session_id]
        start = max(time.monotonic(), media.dtmf_until)  # after digits still queued
        media.dtmf_until = start + RFC2833_SECONDS_PER_DIGIT * len(digits)
        hub.clock.run()


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
    for session_id, call in list(hub.calls.items()):
        if end_unanswered(hub, session_id):
            continue
        if call.getId() < 0:  # never placed: pjsua asserts on hanging it up
            hub.release_session(session_id)
            continue
        with contextlib.suppress(pj.Error):
            call.hangup(pj.CallOpParam())
