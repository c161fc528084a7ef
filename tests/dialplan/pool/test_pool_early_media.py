"""Early media through the pool's Kamailio: the proxy relays the worker's 183 with SDP,
the prompt's RTP goes straight from the worker to the caller before the 200 OK, and the
200 follows on the same media session."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.dialplan.runtime.test_early_media import EARLY_PACKETS, PLAN
from tests.support.harness import serving
from tests.support.rtp_caller import RtpCaller

pytestmark = pytest.mark.timeout(90)


def test_183_and_early_rtp_pass_the_proxy_before_the_200(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "main.dialplan").write_text(PLAN)
    with serving(folder, tmp_path, extra=["--processes", "2"]) as server:
        caller = RtpCaller(server.sip_port, "100")
        try:
            caller.invite()
            progress = caller.until(183, timeout=15)
            assert "m=audio" in progress.text, progress.text
            ok = caller.until(200, timeout=20)
            assert caller.sound_at[200] >= EARLY_PACKETS, caller.sound_at
            assert re.findall(r"m=audio (\d+)", ok.text) == re.findall(r"m=audio (\d+)",
                                                                        progress.text)
            caller.ack()
            caller.until_request("BYE", timeout=20)
            server.wait_calls(0)
        finally:
            caller.close()
