"""The fixed prompts of a pool's plans, rendered once by the supervisor before any
worker needs them.

Why: a process that synthesizes speech loads espeak-ng and keeps about 6 MiB of
private memory for good. With a cold cache (a first start, or a reload with new
texts) every worker rendered the same prompts at once, each keeping that memory. So
the supervisor renders them first, in a short-lived child process (espeak never
enters the supervisor, whose memory every worker shares), and only then forks or
signals the workers: they find every fixed prompt cached, and a worker given the
supervisor's compiled plans skips its own pass over them.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from dialplan.prompts.cache import PromptCache
from dialplan.prompts.warm import warm
from dialplan.runtime.plans import PlanSet

log = logging.getLogger("dialplan.pool")


def render_prompts(plans: PlanSet, cache: Path) -> bool:
    """Render the fixed prompts of `plans` into `cache` in a child process; True if it
    finished cleanly (else workers render what is missing when they need it)."""
    pid = os.fork()
    if pid == 0:  # the child: render, and leave without running the supervisor's exits
        os._exit(_render_here(plans, cache))
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        log.warning("rendering the plans' prompts failed (exit %d): workers render what "
                    "they need", code)
    return code == 0


def _render_here(plans: PlanSet, cache: Path) -> int:
    try:
        prompts = PromptCache(cache)
        rendered = sum(warm(loaded.plan, prompts)[0] for loaded in plans.plans)
    except Exception as error:
        log.error("rendering the plans' prompts failed: %s", error)
        return 1
    if rendered:
        log.info("prompts: %d rendered for every process", rendered)
    return 0
