"""Running the service until a signal: SIGHUP reloads, SIGTERM or SIGINT drains (calls
get `drain_timeout` to finish), SIGUSR1 retires (calls get `retire_timeout`, an hour by
default: a planned restart waits for them; a SIGTERM meanwhile shortens the wait).

Alone, the service watches its plan folder itself, and with a Redis queue store and a
`node` name it first clears what an earlier run of that node left in the queues (a
crash cannot say goodbye for its callers). As a worker of a pool it does neither (the
supervisor checks reloads once and signals every worker, and purges for its workers),
and it leaves with EXIT_RECYCLE once its engine asks for a fresh process or it
retired, calls done.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import signal
from collections.abc import Callable
from pathlib import Path

from dialplan.config import ServeConfig
from dialplan.directory import Directory

from .admin import serve_admin
from .admin_tokens import AdminTokens
from .context import service_clock
from .notify import Notifier
from .plans import PlanSet
from .service import DialplanService, engine_builder
from .trace import TraceBook
from .watch import watch

log = logging.getLogger("dialplan.serve")
EXIT_RECYCLE = 75


ENGINE_PROBE = 5.0  # seconds the engine's own thread has to answer before a beat


async def _engine_answers(service: DialplanService, within: float) -> bool:
    """Whether the engine's own (pjsua2) thread still answers: a worker whose event loop
    beats while that thread is stuck takes INVITEs it never answers and holds calls
    that never end, so it must stop beating and be replaced."""
    try:
        await asyncio.wait_for(service.context.manager.live_objects(), within)
    except TimeoutError:
        log.error("the engine's thread did not answer within %.0f s: no heartbeat (a pool "
                  "replaces this process after hung_after)", within)
        return False
    return True


async def every_second(service: DialplanService, stop: asyncio.Event, worn: list[bool],
                       on_worn: Callable[[], None] | None,
                       on_beat: Callable[[], None] | None,
                       probe: float = ENGINE_PROBE) -> None:
    """One timer for both: beat for the supervisor while the event loop and the engine's
    thread both work (drains included: a worker that stops beating is hung), and watch
    the engine's wear. Alone, a worn-out service drains and leaves; in a pool it asks
    the supervisor, who takes it out of the proxy's rotation before retiring it
    (SIGUSR1)."""
    asked = False
    while True:  # until cancelled, after the drain
        if on_beat is not None and await _engine_answers(service, probe):
            on_beat()
        if not asked and not stop.is_set() and service.context.manager.needs_restart:
            asked = True
            if on_worn is not None:
                log.warning("engine needs a fresh process: asking to be retired")
                on_worn()
            else:
                log.warning("engine needs a fresh process: draining to be recycled")
                worn.append(True)
                stop.set()
        await asyncio.sleep(1.0)


async def _clear_leftovers(service: DialplanService, node: str) -> None:
    try:
        removed = await service.queues.store.purge(f"{node}:")
    except (ConnectionError, ValueError) as error:
        log.error("queue members left by node %s not purged: %s", node, error)
        return
    if removed:
        log.info("queue members left by node %s purged: %s", node, removed)


async def run_service(folder: Path, config: ServeConfig, start: dt.datetime | None = None,
                      alone: bool = True,
                      on_ready: Callable[[], None] | None = None,
                      on_load: Callable[[int], None] | None = None,
                      on_worn: Callable[[], None] | None = None,
                      on_beat: Callable[[], None] | None = None,
                      directory: Directory | None = None, plans: PlanSet | None = None) -> int:
    # a token file others may read stops the start here, before the engine runs
    tokens = AdminTokens(config.admin_tokens) if config.admin_port else None
    traces = TraceBook() if tokens is not None else None  # the admin endpoint reads them
    service = DialplanService(  # raises PlansBroken on a broken folder
        folder, config, engine_builder(config), service_clock(config, start), on_load, traces,
        plans)
    if start is not None:
        log.info("clock pinned: calls see %s", start.isoformat())
    await service.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    loop.add_signal_handler(signal.SIGHUP,
                            lambda: asyncio.ensure_future(service.reload("SIGHUP")))
    worn: list[bool] = []

    def retire() -> None:
        worn.append(True)
        stop.set()

    loop.add_signal_handler(signal.SIGUSR1, retire)
    tasks = [asyncio.create_task(every_second(service, stop, worn, on_worn, on_beat))]
    if alone and config.queue_store and config.node:
        await _clear_leftovers(service, config.node)
    if alone:
        tasks.append(asyncio.create_task(watch(service.reload, folder, stop)))
        await asyncio.sleep(0.1)  # let the watcher start before anyone is told we are ready
    admin = None
    if tokens is not None and traces is not None:
        host = config.admin_bind if alone else "127.0.0.1"  # a pool's worker: its supervisor
        admin = await serve_admin(service, traces, tokens, host, config.admin_port, directory,
                                  lazy=not alone)  # a worker: set up when first asked
    notifier = Notifier(active=alone)  # a pool's supervisor speaks for its workers
    if on_ready is None:
        ready = f"ready: sip {config.bind}:{service.context.manager.sip_port}"
        print(ready, flush=True)
        notifier.ready(ready)
    else:
        on_ready()
    await stop.wait()
    notifier.stopping(f"draining {len(service.calls)} call(s)")
    loop.add_signal_handler(signal.SIGTERM, service.hurry)
    loop.add_signal_handler(signal.SIGINT, service.hurry)
    await service.drain(config.retire_timeout if worn else None)
    if admin is not None:  # up while draining: /healthz says 503, /calls who is left
        await admin.stop()
    for task in tasks:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    return EXIT_RECYCLE if worn else 0
