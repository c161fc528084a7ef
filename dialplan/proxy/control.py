"""Kamailio's dispatcher list, changed while it runs, through its control socket (the
ctl module, driven by `kamcmd`): for a pool on one host, or for pools on several hosts
that share one proxy (`dialplan proxy --control`).

- A process that retires leaves the rotation first (`disable`), so no INVITE reaches
  it while it drains and shuts down (probing alone would keep sending it calls until it
  stops answering).
- A process that exits, for whatever reason, leaves the list (`remove`), and its
  successor joins with a fresh identity once it is ready (`renew`). The dispatcher
  counts calls per identity; a successor under the old one would inherit the calls lost
  with its predecessor (whose BYEs never come) and, after a few deaths, take none.
"""

from __future__ import annotations

import logging
import re
import secrets
import subprocess

log = logging.getLogger("dialplan.proxy")
_DEST = re.compile(r"URI: sip:(\S+)(?:(?!URI:).)*?DLGLOAD: (\d+)", re.DOTALL)
_FLAGS = re.compile(r"URI: sip:(\S+)\s+FLAGS: (\w+)")
_STAT = re.compile(r"^script:(\w+) = (\d+)$", re.M)


class ProxyControl:
    def __init__(self, address: str, max_load: int = 4) -> None:
        self.address = address  # `unix:PATH` or `tcp:HOST:PORT`, as Kamailio's ctl module
        self.max_load = max_load

    def disable(self, destination: str) -> None:
        self._run("dispatcher.set_state", "dp", "1", f"sip:{destination}")  # still probed

    def remove(self, destination: str) -> None:
        self._run("dispatcher.remove", "1", f"sip:{destination}", quiet=True)

    def renew(self, destination: str) -> bool:
        """`destination` in the rotation under a new identity, counting no calls."""
        self.remove(destination)
        attributes = f"duid=r{secrets.token_hex(6)};maxload={self.max_load}"
        return self._run("dispatcher.add", "1", f"sip:{destination}", "0", "0", attributes)

    def reload_trunks(self) -> bool:
        """Kamailio reads the trunks' tables again (dialplan/trunks/tables.py): the
        passwords for challenges, and the registrations (a trunk back in service
        registers; uac_reg starts every registration afresh)."""
        return self._run("htable.reload", "trunkauth") and self._run("uac.reg_reload")

    def loads(self) -> dict[str, int]:
        """Calls the proxy counts on each destination ("host:port"), for tests and
        reports; empty if the proxy does not answer."""
        done = self._call("dispatcher.list")
        return {} if done is None else {uri: int(load)
                                        for uri, load in _DEST.findall(done.stdout)}

    def states(self) -> dict[str, str]:
        """Each destination's dispatcher flags ("AP": active and probed), for tests and
        reports; empty if the proxy does not answer."""
        done = self._call("dispatcher.list")
        return {} if done is None else dict(_FLAGS.findall(done.stdout))

    def refusals(self) -> dict[str, int]:
        """What the routing script counted: `edge_refusals` (calls the proxy answered 503
        itself: every process full) and `engine_refusals` (offers a process refused, each
        tried on the next); empty if the proxy does not answer."""
        done = self._call("stats.get_statistics", "script:")
        return {} if done is None else {name: int(value)
                                        for name, value in _STAT.findall(done.stdout)}

    def _run(self, *command: str, quiet: bool = False) -> bool:
        done = self._call(*command)
        if done is not None and done.returncode == 0:
            return True
        if not quiet:
            reason = "no answer" if done is None else done.stderr.strip() or done.stdout
            log.warning("kamcmd %s failed: %s", " ".join(command), reason.strip())
        return False

    def _call(self, *command: str) -> subprocess.CompletedProcess[str] | None:
        try:
            return subprocess.run(["kamcmd", "-s", self.address, *command],
                                  capture_output=True, text=True, timeout=5, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return None
