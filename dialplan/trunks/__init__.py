"""SIP trunks to a provider: `[trunks.NAME]` of dialplan.toml (settings.py), the numbers
each may dial (numbers.py), and the Kamailio edge's part in registering to and calling
through them (edge.py; the tables it reads the passwords from, tables.py, read again
while it runs, refresh.py; trunks-*.cfg.j2 in dialplan/proxy)."""

from .numbers import number_problem
from .settings import Trunk, TrunkError, trunks_from_document

__all__ = ["Trunk", "TrunkError", "number_problem", "trunks_from_document"]
