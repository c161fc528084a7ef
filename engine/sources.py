"""Which addresses a request may come from: plain data, any thread.

Why here, at the engine's bottom: the pjsua2 adapter decides inside its callbacks
whether an INVITE may come in at all (it cannot wait for the event loop), and a
handler decides whether to believe what a request's headers claim (a proxy's
word on the caller's extension) by the same rule.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable


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

