"""`dialplan proxy` alone in front of a SIPp answering machine: a call whose BYE never
comes (both ends gone quiet) stops counting against its process once it is
`[proxy] max_call_seconds` old, so a process is never full of calls that ended."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from dialplan.proxy.control import ProxyControl
from tests.engine.sipp import HEAD
from tests.engine.support import free_port_block
from tests.support.harness import sipp, wait_for
from tests.support.scenarios import ROUTED_ACK


class Front:
    def __init__(self, sip_port: int) -> None:
        self.sip_port = sip_port


def answered_then_silent() -> str:
    """INVITE, 200, ACK along the route set, then no BYE ever."""
    return (HEAD.format(name="no-bye") + '  <recv response="180" optional="global"/>\n'
            '  <recv response="200" rrs="true"/>\n' + ROUTED_ACK + "</scenario>\n")


def test_a_call_whose_bye_never_comes_stops_counting_after_max_call_seconds(
        tmp_path: Path) -> None:
    engine, front = free_port_block(1), free_port_block(1)
    config = tmp_path / "proxy.toml"
    config.write_text("[proxy]\nmax_call_seconds = 2\n")
    address = f"unix:{tmp_path / 'proxy.ctl'}"
    answering = subprocess.Popen(  # answers INVITE and OPTIONS, waits for a BYE
        ["sipp", "-sn", "uas", "-i", "127.0.0.1", "-p", str(engine), "-aa", "-m", "1",
         "-timeout", "30s", "-nostdin"], cwd=tmp_path, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    proxy = subprocess.Popen(
        [sys.executable, "-m", "dialplan", "proxy", "--listen", f"127.0.0.1:{front}",
         "--to", f"127.0.0.1:{engine}", "--control", address, "--config", str(config)],
        stdout=subprocess.PIPE, stderr=(tmp_path / "proxy.log").open("w"), text=True)
    try:
        assert proxy.stdout is not None and proxy.stdout.readline().startswith("ready:")
        call = sipp(answered_then_silent(), Front(front), "100", tmp_path, timeout=10)
        assert call.returncode == 0, str(call.stdout)[-1500:]
        control = ProxyControl(address)
        assert control.loads() == {f"127.0.0.1:{engine}": 1}  # answered, never hung up
        wait_for(lambda: control.loads() == {f"127.0.0.1:{engine}": 0}, timeout=12,
                 explain=lambda: str(control.loads()))
    finally:
        proxy.terminate()
        proxy.wait(timeout=10)
        answering.kill()
        answering.wait()
