"""`[serve] max_calls`: calls beyond the configured limit are refused with 503 while
the ones inside it carry on."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import zoneinfo
from pathlib import Path

from tests.engine.sipp import rejected_call
from tests.support.harness import serving, sipp
from tests.support.scenarios import press_then_server_hangs_up


def test_a_call_over_max_calls_gets_503(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "hold.dialplan").write_text(
        'route 100 -> main\nflow main { start: answer; wait 4s; hangup }\n')
    with serving(folder, tmp_path, settings="max_calls = 1\n") as server:
        first = sipp(press_then_server_hangs_up("", 0), server, "100", tmp_path, timeout=30,
                     background=True)
        assert isinstance(first, subprocess.Popen)
        server.wait_calls(1)
        second = sipp(rejected_call(503), server, "100", tmp_path, timeout=20)
        assert second.returncode == 0, str(second.stdout)[-1000:]
        assert first.wait(timeout=30) == 0


def test_calls_read_the_clock_in_the_configured_time_zone(tmp_path: Path) -> None:
    from tests.support.scenarios import silent_until_server_hangs_up

    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "clock.dialplan").write_text(
        'route 100 -> main\nflow main { start: answer; say "Hour {{ hour }}."; hangup }\n')
    with serving(folder, tmp_path, settings='timezone = "Asia/Tokyo"\n') as server:
        assert sipp(silent_until_server_hangs_up(), server, "100", tmp_path,
                    timeout=20).returncode == 0
        tokyo = dt.datetime.now(zoneinfo.ZoneInfo("Asia/Tokyo")).hour
        heard = re.findall(r'"text": "Hour (\d+)\."', server.log_text())
        assert heard and int(heard[0]) in (tokyo, (tokyo - 1) % 24)  # an hour may turn
