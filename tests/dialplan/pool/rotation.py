"""Waiting for a pool's Kamailio to have every worker in its rotation, through its
control socket, instead of sleeping through an OPTIONS probe interval."""

from __future__ import annotations

import re

from dialplan.proxy.control import ProxyControl
from tests.support.harness import Server, wait_for


def pool_control(server: Server) -> ProxyControl:
    """The control socket of the pool's own Kamailio (in the pool's work folder)."""
    found = re.findall(r"kamailio configuration: (\S+)/kamailio\.cfg", server.log_text())
    assert found, "the pool has no Kamailio of its own"
    return ProxyControl(f"unix:{found[-1]}/kamailio.ctl")


def wait_in_rotation(server: Server, processes: int, timeout: float = 20.0) -> None:
    """Until each of the pool's `processes` workers is in the proxy's list, active and
    probed ("AP": its successor's OPTIONS answered since it joined)."""
    control = pool_control(server)
    wanted = {f"127.0.0.1:{server.sip_port + 1 + slot}" for slot in range(processes)}
    wait_for(lambda: {uri for uri, flags in control.states().items()
                      if flags == "AP"} >= wanted, timeout=timeout,
             explain=lambda: f"not every worker in rotation: {control.states()}")
