"""What the hub lets in: INVITEs from untrusted sources, REFERs, unanswered INVITEs.

Why here: these decisions run inside pjsua2 callbacks on the pjsua2 thread and
follow pjsua's rules for Call objects (keep one from creation to DISCONNECTED;
never hang up one that has no pjsua call id, which aborts the process). Keeping
them apart from the hub's registries makes those rules easy to see.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

import pjsua2 as pj

from engine.pjsip.call import CallEvents, PjCall
from engine.pjsip.native import Native
from engine.pjsip.policy import REFER_REFUSED
from engine.signals import Signal, StateSignal, TransferredSignal
from engine.stack import ReferRule


class Hub(CallEvents, Protocol):
    """The parts of the hub that admission decisions use (pjsua2 thread only)."""

    calls: dict[str, PjCall]
    refer_rules: dict[str, ReferRule]
    unanswered_invites: dict[str, int]
    native: Native
    emit: Callable[[Signal], None]
    post: Callable[[Callable[[], None]], None]

    def new_id(self, prefix: str) -> str: ...
    def register(self, call: PjCall) -> None: ...
    def release_session(self, session_id: str) -> None: ...

LOG = logging.getLogger("engine.pjsip")


def refuse_untrusted(hub: Hub, account: pj.Account, call_id: int, source: str) -> None:
    """403 to an INVITE from outside ``trusted_sources``: no session, no signal.

    The Call object is still kept until DISCONNECTED (trap 1 of the notes)."""
    call = PjCall(account, hub.new_id("untrusted"), hub, call_id)
    hub.register(call)
    LOG.warning("INVITE from untrusted source %s refused (403)", source)
    prm = pj.CallOpParam()
    prm.statusCode = 403
    call.answer(prm)


def transfer_request(hub: Hub, call: PjCall, target: str) -> tuple[int, PjCall | None]:
    """A REFER from the far end: its status, and the new leg if accepted.

    Refused unless the session's owner gave a rule that accepts that target: the
    engine never dials on a far end's say-so alone. An accepted leg that pjsua
    then fails to place (no free call slot) is dropped right after the callback,
    so no Call without a pjsua id is ever kept."""
    rule = hub.refer_rules.get(call.session_id)
    status = rule(target) if rule is not None else REFER_REFUSED
    if status >= 300:
        LOG.warning("REFER on %s to %s refused (%d)", call.session_id, target, status)
        return status, None
    new = PjCall(call.account, hub.new_id("xfer"), hub)
    hub.register(new)
    hub.emit(TransferredSignal(new.session_id, call.session_id, target))
    hub.post(lambda: drop_unborn(hub, new))
    return status, new


def drop_unborn(hub: Hub, call: PjCall) -> None:
    """Forget a Call that never got a pjsua call id (its INVITE was never sent)."""
    if call.getId() < 0 and hub.calls.get(call.session_id) is call:
        LOG.warning("REFER leg %s not placed: no free call slot", call.session_id)
        hub.release_session(call.session_id)
        hub.emit(StateSignal(call.session_id, "disconnected", 503, "Not Placed"))


def track_invite(hub: Hub, call: PjCall, tsx: pj.SipTransaction) -> None:
    """Remember our INVITE while it has no response at all (see ``end_unanswered``)."""
    if tsx.method != "INVITE" or tsx.role != pj.PJSIP_ROLE_UAC:
        return
    if tsx.state == pj.PJSIP_TSX_STATE_CALLING and tsx.pjTransaction is not None:
        hub.unanswered_invites[call.session_id] = int(tsx.pjTransaction)
    else:
        hub.unanswered_invites.pop(call.session_id, None)


def end_unanswered(hub: Hub, session_id: str) -> bool:
    """End an INVITE that got no response at all, now; True if there was one.

    pjsip may not CANCEL before a provisional response, so ``hangup`` would keep
    the call (and its slot, of only 4) until Timer B, 32 s later. Terminating the
    transaction ends the call at once with 408, as a timeout would."""
    tsx = hub.unanswered_invites.pop(session_id, None)
    if tsx is None:
        return False
    hub.native.tsx_terminate(tsx, 408)
    return True
