"""Running the service until a signal: SIGHUP reloads, SIGTERM or SIGINT drains."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import signal
from pathlib import Path

from ..clock import clock_from
from .admin import serve_admin
from .config import ServeConfig
from .context import utc_now
from .service import DialplanService
from .watch import watch

log = logging.getLogger("dialplan.serve")


async def run_service(folder: Path, config: ServeConfig,
                      start: dt.datetime | None = None) -> int:
    service = DialplanService(folder, config)  # raises PlansBroken on a broken folder
    if start is not None:
        service.context.clock = clock_from(start, utc_now)
        log.info("clock pinned: calls see %s", start.isoformat())
    await service.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    loop.add_signal_handler(signal.SIGHUP,
                            lambda: asyncio.ensure_future(service.reload("SIGHUP")))
    watcher = asyncio.create_task(watch(service, folder, stop))
    admin = None
    if config.admin_port:
        admin = await serve_admin(service, "127.0.0.1", config.admin_port)
        log.info("admin endpoint on http://127.0.0.1:%d/", config.admin_port)
    print(f"ready: sip {config.bind}:{service.context.manager.sip_port}", flush=True)
    await stop.wait()
    if admin is not None:
        admin.close()
    await service.drain()
    watcher.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await watcher
    return 0
