"""Who may reach the engine, and where a far end may send it: plain data, any thread.

Why separate from the hub: both rules are decided inside pjsua2 callbacks, which
cannot wait for the event loop, so they must be answerable synchronously from data
the owner gave beforehand. ``TrustedSources`` holds the networks INVITEs may come
from (the pool's proxy, say); a ``ReferRule`` says what a REFER received on one
session gets: 202 to go ahead, or the refusal status.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

REFER_REFUSED = 603  # no rule for the session: the engine never dials on a far end's say-so


class TrustedSources:
    """INVITEs are taken only from these networks (empty: from anywhere)."""

    def __init__(self, sources: Iterable[str]) -> None:
        self._networks = tuple(ipaddress.ip_network(s, strict=False) for s in sources)

    def allows(self, source: str) -> bool:
        """``source`` as pjsua2 gives it: ``1.2.3.4:5060`` or ``[::1]:5060``."""
        if not self._networks:
            return True
        host = source.rsplit(":", 1)[0].strip("[]") if ":" in source else source
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        return any(address in network for network in self._networks)
