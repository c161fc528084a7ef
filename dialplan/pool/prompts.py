"""The fixed prompts of a pool's plans, rendered once by the supervisor before any
worker needs them.

Why: a process that synthesizes speech loads espeak-ng and keeps about 6 MiB of
private memory for good. With a cold cache (a first start, or a reload with new
texts) every worker rendered the same prompts at once, each keeping that memory. So
the supervisor has them rendered first and only then forks or signals the workers:
they find every fixed prompt cached, and a worker given the supervisor's compiled
plans skips its own pass over them.

Why a fresh process (``python -m dialplan.pool.prompts PUBLISHED CACHE``), not a fork:
espeak-ng does not survive a fork of a process that ever initialized it (the child
hangs in its first call), and the supervisor must never wait on a hung child; the
fresh process renders exactly the published set (digest checked) within a time limit.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

from dialplan.prompts.cache import PromptCache
from dialplan.prompts.warm import warm
from dialplan.runtime.published_plans import load_published

log = logging.getLogger("dialplan.pool")
RENDER_WITHIN = 120.0  # seconds; past it the workers render what they need themselves


def render_prompts(published: Path, cache: Path, within: float = RENDER_WITHIN) -> bool:
    """Render the fixed prompts of the plan set published at `published` into `cache`,
    in a process of its own; True if it finished cleanly in time."""
    command = [sys.executable, "-m", "dialplan.pool.prompts", str(published), str(cache)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=within,
                              check=False)
    except subprocess.TimeoutExpired:
        log.warning("rendering the plans' prompts took over %.0f s: stopped; workers "
                    "render what they need", within)
        return False
    if done.returncode != 0:
        log.warning("rendering the plans' prompts failed (exit %d): %s; workers render "
                    "what they need", done.returncode, done.stderr.strip()[-500:])
        return False
    log.info("%s", done.stdout.strip())
    return True


def main(published: Path, cache: Path) -> int:
    plans, _, _ = load_published(published)
    if plans is None:
        print(f"the published plans {published} are unreadable", file=sys.stderr)
        return 1
    try:
        prompts = PromptCache(cache)
        rendered = sum(warm(loaded.plan, prompts)[0] for loaded in plans.plans)
    except Exception as error:  # reported by the supervisor, which carries on
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        return 1
    print(f"prompts: {rendered} rendered for every process")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
