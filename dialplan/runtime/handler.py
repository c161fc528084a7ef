"""The engine's CallHandler for dialplans: pick the plan by route, defer the answer to
the flow (which answers, rings or refuses the call itself), and run it."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

import engine

from ..machine import CallInfo
from .call import CallRun
from .trace import TRACES, TracedMachine, tag_of

if TYPE_CHECKING:
    from .service import DialplanService

log = logging.getLogger(__name__)
_DISPLAY_NAME = re.compile(r'^\s*"?([^"<]*?)"?\s*<')


def display_name_of(uri: str) -> str:
    match = _DISPLAY_NAME.match(uri)
    return match.group(1).strip() if match else ""


class DialplanHandler(engine.CallHandler):
    def __init__(self, service: DialplanService) -> None:
        self.service = service

    async def on_incoming_call(self, call: engine.IncomingCall) -> engine.CallDecision:
        service = self.service
        if service.draining:
            return engine.CallDecision.reject(503, "Service Unavailable")
        caller = engine.user_part(call.from_uri)
        loaded = service.plans.route(call.dialled, caller)
        if loaded is None:
            service.context.metrics.count("calls_unrouted_total")
            return engine.CallDecision.reject(404, "Not Found")
        session = service.context.manager.get_session(call.session_id)
        info = CallInfo(caller=caller, called=call.dialled,
                        caller_name=display_name_of(call.from_uri), call_id=call.session_id)
        machine = loaded.machine
        if service.config.admin_port:  # its /trace is the only reader of traces
            trace = TRACES.open(call.sip_call_id or call.session_id, call.session_id,
                                loaded.plan, tag_of(call.request_uri))
            machine = TracedMachine(loaded.plan, trace)
        run = CallRun(service.context, machine, session, info)
        run.log.sip_call_id = call.sip_call_id
        service.start_call(run)
        return engine.CallDecision.defer()

    async def on_call_ended(self, call: engine.CallSession, reason: str) -> None:
        log.debug("call %s ended: %s", call.id, reason)
