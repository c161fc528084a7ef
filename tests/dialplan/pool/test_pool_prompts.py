"""A pool's workers start from the plans and prompts its supervisor prepared before
forking them: the compiled plan set is shared, not compiled again in each worker, and
the fixed prompts are rendered once (in a process of their own), not by each worker
(each would keep espeak-ng's ~6 MiB)."""

from __future__ import annotations

import os
import re
import signal
from pathlib import Path

from dialplan.pool.prompts import render_prompts
from dialplan.prompts.cache import PromptCache, SpokenPrompt
from dialplan.runtime.plans import plan_set_from
from dialplan.runtime.published_plans import publish
from tests.support.harness import serving, sipp
from tests.support.scenarios import press_then_server_hangs_up

from .rotation import wait_in_rotation

PLAN = 'route 100 -> main\nflow main { start: answer; say "Thank you."; hangup }\n'


def test_rendering_for_the_pool_fills_the_cache_from_a_process_of_its_own(
        tmp_path: Path) -> None:
    plans, diagnostics, _ = plan_set_from({"main.dialplan": PLAN})
    assert plans is not None, diagnostics
    publish(plans, tmp_path / "plans.json")
    cache = PromptCache(tmp_path / "cache")
    assert render_prompts(tmp_path / "plans.json", cache.root)
    assert cache.cached(SpokenPrompt("Thank you.")) is not None
    assert cache.synthesizer.renders == 0  # this process never loaded the synthesizer


def test_rendering_into_an_unusable_cache_fails_cleanly(tmp_path: Path) -> None:
    plans, _, _ = plan_set_from({"main.dialplan": PLAN})
    assert plans is not None
    publish(plans, tmp_path / "plans.json")
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder should be")
    assert not render_prompts(tmp_path / "plans.json", blocked)


def test_rendering_a_tampered_published_set_renders_nothing(tmp_path: Path) -> None:
    (tmp_path / "plans.json").write_text('{"digest": "0", "texts": {}}')
    assert not render_prompts(tmp_path / "plans.json", tmp_path / "cache")
    assert not (tmp_path / "cache").exists()


def test_workers_start_from_the_supervisors_plans_and_prompts(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "main.dialplan").write_text(PLAN)
    with serving(folder, tmp_path, extra=["--processes", "2"]) as server:
        log = server.log_text()
        assert log.count("prompts: 1 rendered for every process") == 1
        assert "dialplan.serve: prompts:" not in log  # no worker rendered or checked
        # a replacement worker needs no published file: it shares the compiled set
        workdir = re.findall(r"kamailio configuration: (\S+)/kamailio\.cfg", log)[-1]
        (Path(workdir) / "plans.json").unlink()
        first = int(server.workers()[0]["pid"])
        os.kill(first, signal.SIGKILL)
        server.wait_for_log("worker 0 started", 2, timeout=20)
        wait_in_rotation(server, 2)
        calls = sipp(press_then_server_hangs_up("", 0), server, "100", tmp_path, calls=4,
                     limit=4, rate=20, timeout=30)
        assert calls.returncode == 0, str(calls.stdout)[-1500:]
        assert server.metric("dialplan_prompt_syntheses") == 0
