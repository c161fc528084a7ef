"""Dial: ring one or more targets at once; the first to answer is bridged to the caller.

The outcome goes back to the machine as DialResult; if answered, BridgeEnded follows
when the called party hangs up. Losing legs are hung up; a caller who leaves takes the
answered leg down with them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Callable, Iterable

import engine

from ..machine import commands as cmd
from ..machine import events as ev
from .context import ServiceContext
from .targets import allowed, extension_uri, to_uri
from .trunk_calls import trunk_uri

UNANSWERED = (engine.CallState.INITIATING, engine.CallState.RINGING,
              engine.CallState.EARLY_MEDIA)

log = logging.getLogger(__name__)


# Final statuses that say the party cannot be reached now (no such extension, nobody
# registered for it, gone): the `unavailable` branch, taken at once, not after ringing.
UNREACHABLE = frozenset({404, 410, 480, 484, 604})


def outcome_of(error: BaseException) -> str:
    """busy, noanswer, unavailable or failed, from the engine's typed call errors."""
    match error:
        case engine.CallFailed(status=status) if status in UNREACHABLE:
            return "unavailable"  # before CallTimeout: a far end's 480 is no ring timeout
        case engine.CallBusy():
            return "busy"
        case engine.CallTimeout() | engine.CallCancelled() | TimeoutError():
            return "noanswer"
    return "failed"


_CALLER_ID = re.compile(r"[A-Za-z0-9*+._~-]{1,64}")


def from_uri(caller_id: str | None, context: ServiceContext) -> str | None:
    """The From URI showing `caller_id` (the dial's option) to the called party; None
    (the service's own identity) without one, or for one that is not a plain number
    or name."""
    if caller_id is None:
        return None
    if not _CALLER_ID.fullmatch(caller_id):
        log.warning("caller_id %r is not a plain number or name: not shown", caller_id)
        return None
    config = context.config
    return f"sip:{caller_id}@{config.bind}:{context.manager.sip_port}"


async def ring(context: ServiceContext, uri: str, timeout: float,
               caller_id: str | None = None, parent: str = "") -> engine.CallSession:
    """Place one leg (listed in `/calls` under `parent`) and wait for its answer; at
    `timeout` the engine ends it at once, silent target or not."""
    leg = await context.manager.make_call(from_uri(caller_id, context), uri)
    context.legs[leg.id] = parent
    try:
        await leg.wait_for_answer(timeout=timeout)
    except BaseException:
        with contextlib.suppress(Exception):
            await leg.terminate()
        raise
    return leg


async def dial(context: ServiceContext, caller: engine.CallSession, command: cmd.Dial,
               post: Callable[[ev.Event], None]) -> None:
    uris = _uris(command, context)
    if uris is None:
        post(ev.DialResult("unavailable" if command.extension else "failed"))
        return
    tasks = [asyncio.create_task(ring(context, uri, command.timeout, command.caller_id,
                                      caller.id)) for uri in uris]
    answered: engine.CallSession | None = None
    outcomes: list[str] = []
    try:
        for finished in asyncio.as_completed(tasks):
            try:
                answered = await finished
                break
            except Exception as error:
                outcomes.append(outcome_of(error))
    finally:
        for task in tasks:
            task.cancel()
        await hang_up_losers(tasks, answered)
    if answered is None:
        post(ev.DialResult(_overall(outcomes)))
        return
    await bridge_until_end(context, caller, answered, ev.DialResult("answered"), post)


async def hang_up_losers(tasks: Iterable[asyncio.Task[engine.CallSession]],
                         winner: engine.CallSession | None) -> None:
    """Once the (cancelled) ring tasks are over, hang up every leg but `winner`.

    Cancelling a ring task hangs up its leg only while it still rings; a target that
    answered at the same moment as the winner (its task already done) keeps a live,
    unbridged leg unless it is hung up here."""
    results = await asyncio.gather(*tasks, return_exceptions=True)
    for leg in results:
        if leg is not winner and not isinstance(leg, BaseException):
            with contextlib.suppress(Exception):
                await leg.terminate()


def _uris(command: cmd.Dial, context: ServiceContext) -> list[str] | None:
    """The URIs to ring, or None (logged) when the dial cannot be placed: a target
    outside `allowed_targets`, or extensions without a registrar to find them."""
    config = context.config
    if command.trunk:
        found = [trunk_uri(t, command.trunk, config) for t in command.targets]
        return None if None in found else [uri for uri in found if uri is not None]
    if command.extension:
        if not config.registrar:
            log.warning("dial extension %s: no registrar ([serve] registrar, or a pool's "
                        "proxy) to find it", ", ".join(command.targets))
            return None
        return [extension_uri(t, config.registrar) for t in command.targets]
    uris = [to_uri(t, config) for t in command.targets]
    refused = [u for u in uris if not allowed(u, config)]
    if refused:
        log.warning("dial refused by allowed_targets: %s", refused)
        return None
    return uris


def _overall(outcomes: list[str]) -> str:
    for outcome in ("busy", "noanswer", "unavailable"):
        if outcome in outcomes:
            return outcome
    return "failed"


async def bridge_until_end(context: ServiceContext, caller: engine.CallSession,
                           leg: engine.CallSession,
                           result: ev.Event, post: Callable[[ev.Event], None],
                           failed: ev.Event | None = None) -> None:
    """Bridge `leg` to the caller, tell the machine (`result`, or `failed` if the bridge
    cannot be made: a DialResult unless given), and report the end of the bridge."""
    try:
        if caller.state in UNANSWERED:  # dialled before `answer`: answered with the leg
            await caller.accept()
        await context.manager.bridge(caller.id, leg.id)
    except Exception as error:
        log.info("bridge failed: %s", error)
        with contextlib.suppress(Exception):
            await leg.terminate()
        post(failed or ev.DialResult("failed"))
        return
    post(result)
    try:
        await leg.wait_ended()
    finally:
        with contextlib.suppress(Exception):
            await leg.terminate()  # the caller left first: end the other leg too
    post(ev.BridgeEnded())
