"""The plan set a pool's supervisor checked, handed to its workers exactly.

Why: a worker that read the plan folder itself, after the supervisor had checked it,
could read a later save (a broken one, or a newer one) than the one checked; workers
then ran different versions, and a worker forked after a broken save could not start
at all. So the supervisor publishes the texts of the set it checked, with their
digest, in one file of its private work folder (written aside, then renamed over the
last one: a reader sees the old set or the new one, whole), and only then signals the
workers. Workers build their plans from that file alone, never from the folder, and
refuse it unless the texts hash to the digest it names.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path

from ..loader import Sources
from ..render import format_text
from .plans import Loaded, PlanSet, load_plan_set, plan_set_from

log = logging.getLogger(__name__)


def publish(plans: PlanSet, path: Path) -> None:
    """Replace the set published at `path` by `plans`, in one rename."""
    data = json.dumps({"digest": plans.digest, "texts": dict(plans.texts)},
                      ensure_ascii=False)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent,
                                     prefix=".plans-", delete=False) as out:
        out.write(data)
    os.replace(out.name, path)


def load_published(path: Path) -> Loaded:
    """The set published at `path`, or None if it is unreadable or its texts do not
    hash to the digest it names (the diagnostics then say nothing: it is logged)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        texts, digest = dict(data["texts"]), str(data["digest"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        log.error("published plans %s unreadable: %s", path, error)
        return None, [], Sources()
    plans, diagnostics, sources = plan_set_from(texts)
    if plans is not None and plans.digest != digest:
        log.error("published plans %s refused: digest %s, but its texts hash to %s",
                  path, digest, plans.digest)
        return None, diagnostics, sources
    return plans, diagnostics, sources


def load_plans(folder: Path, published: Path | None) -> Loaded:
    """A pool worker's plans come from what its supervisor published; a lone service's
    from its folder."""
    return load_published(published) if published is not None else load_plan_set(folder)


def check_and_publish(folder: Path, path: Path) -> PlanSet | str:
    """The supervisor's check: the folder's plan set, published at `path` when clean;
    else the diagnostics as text, and the published set stays as it was."""
    plans, diagnostics, sources = load_plan_set(folder)
    if plans is None:
        return format_text(diagnostics, sources.texts)
    publish(plans, path)
    return plans
