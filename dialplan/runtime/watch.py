"""Reload on change: watch the plan folder (watchfiles, debounced) and ask the service
to reload when a `.dialplan` file is added, changed or removed."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

from watchfiles import awatch

log = logging.getLogger(__name__)
DEBOUNCE_MS, STEP_MS = 200, 50  # a pool's watcher (pool/watch.py) debounces alike


def is_plan(_change: object, path: str) -> bool:
    return path.endswith(".dialplan")


async def watch(reload: Callable[[str], Awaitable[bool]], folder: Path,
                stop: asyncio.Event) -> None:
    async for changes in awatch(folder, watch_filter=is_plan, debounce=DEBOUNCE_MS,
                                step=STEP_MS, stop_event=stop, recursive=True):
        names = sorted({Path(path).name for _, path in changes})
        await reload("changed: " + ", ".join(names))
