"""Where `dial trunk NAME "..."` sends its call: to the edge (the pool's Kamailio, or
`[serve] registrar`), with the trunk named in the Request-URI's `dp-trunk` parameter.

The edge believes that parameter only from the engine processes and builds a fresh
Request-URI towards the provider, so it never leaves the service; a caller who writes
it gets nothing (dialplan/proxy/trunks-routes.cfg.j2). The number was checked to be
digits by the machine; here it must also fit the trunk's `allow` and none of its `deny`
patterns (toll fraud), or the dial is refused before any SIP is sent.
"""

from __future__ import annotations

import logging

from dialplan.config import ServeConfig
from dialplan.trunks import number_problem

log = logging.getLogger(__name__)

PARAMETER = "dp-trunk"


def trunk_uri(number: str, name: str, config: ServeConfig) -> str | None:
    """The URI placing `number` through trunk `name`, or None (logged) when the trunk is
    unknown, refuses the number, or there is no edge to reach it through."""
    trunk = next((t for t in config.trunks if t.name == name), None)
    if trunk is None:
        log.warning("dial trunk %s: no such trunk in dialplan.toml", name)
        return None
    if problem := number_problem(number, trunk.allow, trunk.deny):
        log.warning("dial trunk %s refused (toll-fraud protection): %s", name, problem)
        return None
    if not config.registrar:
        log.warning("dial trunk %s: no edge to reach it through ([serve] registrar, or a "
                    "pool's proxy)", name)
        return None
    return f"sip:{number}@{config.registrar};{PARAMETER}={trunk.name}"
