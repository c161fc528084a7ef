"""Digits on real calls (issue 15): an RFC 2833 '1' that arrives while a prompt still
plays (a prompt that starts late on a busy host) is typed ahead for the collect after
it, instead of being lost; a digit nothing can use is logged with its reason and
counted."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support.harness import serving, sipp
from tests.support.scenarios import press_then_server_hangs_up

pytestmark = pytest.mark.skipif(shutil.which("sipp") is None,
                                reason="sipp (sip-tester) not installed")

PLAN = """route 100 -> ivr
route 200 -> waiting

flow ivr {
  start:
    answer
    play "hold_music"
    collect d digits 1 until "" timeout 3s attempts 1 {
      exhausted -> goto lost
    }
    if d == "1" {
      goto heard
    }
    hangup

  heard:
    hangup

  lost:
    hangup
}

flow waiting {
  start:
    answer
    wait 2s
    hangup
}
"""


def test_a_digit_during_a_play_reaches_the_collect_and_one_nobody_takes_is_counted(
        tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "ivr.dialplan").write_text(PLAN)
    with serving(plans, tmp_path) as server:
        # the '1' 1 s after the answer: hold_music (4 s) is still playing
        during_play = sipp(press_then_server_hangs_up("1", 1000), server, "100", tmp_path,
                           timeout=20)
        assert during_play.returncode == 0, str(during_play.stdout)[-1500:]
        server.wait_for_log('"state": "ivr.heard"')
        assert '"state": "ivr.lost"' not in server.log_text()
        assert server.metric("dialplan_digits_dropped_total") == 0

        during_wait = sipp(press_then_server_hangs_up("1", 500), server, "200", tmp_path,
                           timeout=20)
        assert during_wait.returncode == 0, str(during_wait.stdout)[-1500:]
        server.wait_for_log("digit 1 dropped: nothing is waiting for keys")
        assert server.metric("dialplan_digits_dropped_total") == 1
