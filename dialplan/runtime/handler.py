"""The engine's CallHandler for dialplans: refuse while draining, pick the plan by route,
defer the answer to the flow (which answers, rings or refuses the call itself), and hand
the call on to be run.

Why it hands calls on rather than running them: the engine's manager is built with its
handler, so the handler cannot hold the manager that holds it. It only decides; the
CallBoard (calls.py), made once the manager exists, takes each admitted call from it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

import engine

from ..machine import CallInfo, Machine
from .identity import CallerIdentity
from .metrics import Metrics
from .plan_keeper import PlanKeeper
from .trace import TraceBook, TracedMachine

log = logging.getLogger(__name__)
_DISPLAY_NAME = re.compile(r'^\s*"?([^"<]*?)"?\s*<')


def display_name_of(uri: str) -> str:
    match = _DISPLAY_NAME.match(uri)
    return match.group(1).strip() if match else ""


@dataclass(frozen=True)
class Admitted:
    """A call a plan takes: the engine's view of it, the machine that will run it (the
    plan current when it arrived, pinned for the whole call) and who calls whom."""

    call: engine.IncomingCall
    machine: Machine
    info: CallInfo


class DialplanHandler(engine.CallHandler):
    """Decides about each INVITE; `admit` gets every call a plan takes."""

    def __init__(self, plans: PlanKeeper, metrics: Metrics, traces: TraceBook | None,
                 admit: Callable[[Admitted], None], identity: CallerIdentity) -> None:
        self.plans, self.metrics, self.traces, self.admit = plans, metrics, traces, admit
        self.identity = identity
        self.draining = False

    def drain(self) -> None:
        """From now on every new call gets 503."""
        self.draining = True

    async def on_incoming_call(self, call: engine.IncomingCall) -> engine.CallDecision:
        if self.draining:
            return engine.CallDecision.reject(503, "Service Unavailable")
        caller = engine.user_part(call.from_uri)
        loaded = self.plans.current.route(call.dialled, caller)
        if loaded is None:
            self.metrics.count("calls_unrouted_total")
            return engine.CallDecision.reject(404, "Not Found")
        info = CallInfo(caller=caller, called=call.dialled,
                        caller_name=display_name_of(call.from_uri), call_id=call.session_id,
                        extension=self.identity.extension(call))
        machine = loaded.machine
        if self.traces is not None:  # kept only for the admin endpoint, their one reader
            trace = self.traces.open(call.sip_call_id or call.session_id, call.session_id,
                                     loaded.plan, call.request_uri)
            machine = TracedMachine(loaded.plan, trace)
        self.admit(Admitted(call, machine, info))
        return engine.CallDecision.defer()

    async def on_call_ended(self, call: engine.CallSession, reason: str) -> None:
        log.debug("call %s ended: %s", call.id, reason)
