"""The office example on real softphones, as `make run` sets it up: the demo extensions
are added once with generated passwords (printed on the first start only), two baresip
instances register with them through the service's Kamailio, 201 calls 202 (route
`_2XX` -> `dial extension`), 202 rings and answers, each hears the other's tone (energy
measured at each tone's frequency, in both directions), and 201 hangs up. A stranger's
INVITE to 202 (forged identity headers or not) is challenged and never rings it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.support.baresip import baresip_phone, tone_level
from tests.support.harness import serving, wait_for
from tests.support.raw_sip import SDP, Peer

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "office-extensions"
TONES = {"201": 440.0, "202": 1000.0}
HEARD = 1000.0  # amplitude of the other's tone (sent at 8000): well above codec noise
CROSSTALK = 100.0  # of one's own tone coming back: none, the bridge is not an echo


def _office(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "examples" / "office", tmp_path / "office",
                    ignore=shutil.ignore_patterns("var"))
    shutil.copytree(ROOT / "examples" / "dialplans", tmp_path / "dialplans")
    return tmp_path / "office"


def _add_demo_extensions(office: Path) -> str:
    dialplan = str(Path(sys.executable).with_name("dialplan"))
    done = subprocess.run(["sh", str(SCRIPT), dialplan, str(office), "201", "202"],
                          capture_output=True, text=True, timeout=60, check=True)
    return done.stdout


def test_two_softphones_register_and_201_talks_with_202_through_the_office(tmp_path) -> None:
    office = _office(tmp_path)
    first = _add_demo_extensions(office)
    passwords = dict(re.findall(r"added extension (\d+)[^\n]*\npassword: (\S+)", first))
    assert sorted(passwords) == ["201", "202"]
    assert _add_demo_extensions(office) == ""  # a second start adds and prints nothing
    realm = '[directory]\nrealm = "office"\n'  # as examples/office/dialplan.toml says
    with serving(office, office, settings=realm) as server:
        registrar = f"127.0.0.1:{server.sip_port}"
        with baresip_phone(tmp_path, "202", passwords["202"], registrar, TONES["202"]) as b, \
                baresip_phone(tmp_path, "201", passwords["201"], registrar,
                              TONES["201"]) as a:
            a.wait_registered()
            b.wait_registered()
            a.dial("202")
            a.wait_event("CALL_RINGING", timeout=10)  # 202's 180, relayed to 201
            b.wait_event("CALL_ESTABLISHED", timeout=10)
            a.wait_event("CALL_ESTABLISHED", timeout=10)
            two_seconds = 2 * 8000 * 2
            wait_for(lambda: all(p.heard_size() > two_seconds for p in (a, b)), timeout=15)
            a.command("hangup")
            a.wait_event("CALL_CLOSED", timeout=10)
            b.wait_event("CALL_CLOSED", timeout=10)
        assert tone_level(a.heard(), TONES["202"]) > HEARD
        assert tone_level(b.heard(), TONES["201"]) > HEARD
        assert tone_level(a.heard(), TONES["201"]) < CROSSTALK
        assert tone_level(b.heard(), TONES["202"]) < CROSSTALK
        server.wait_calls(0)
        _strangers_cannot_ring_202(server.sip_port)
    log = server.log_text()
    assert '"caller": "201", "called": "202"' in log
    assert '"outcome": "answered"' in log
    assert log.count('"event": "call_started"') == 1  # no stranger's call got in


def _strangers_cannot_ring_202(port: int) -> None:
    """Without 202's or anyone's password, an INVITE to 202 (also one claiming to come
    from 201, or forging the header the proxy stamps) is challenged and goes no further."""
    stranger = Peer(("127.0.0.1", port), host="127.0.0.5")
    try:
        forged = "X-Dialplan-Extension: 201\r\nX-Dialplan-Authenticated: yes\r\n"
        for cseq, extra in enumerate(("", forged), start=1):
            stranger.send(stranger.request("INVITE", f"sip:202@127.0.0.1:{port}", cseq,
                                           body=SDP.format(port=40020), extra=extra))
            refused = stranger.final(5)
            assert refused is not None and refused.status == 407, refused
    finally:
        stranger.close()
