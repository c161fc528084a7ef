"""The service a live scenario calls: where its calls go and where its traces are read.

Why its own object: every session of a LiveDriver talks to the same service, and a
session needs only this, not the driver that holds the sessions.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from ..plan import Plan
from ..sim import SimulationError


@dataclass(frozen=True)
class Service:
    """A running `dialplan serve` at `address` (host:port), with its admin endpoint."""

    plan: Plan  # the plan the scenarios test: the service must run this very version
    address: str
    admin: str | None = None
    admin_token: str = ""  # the operator's: a trace holds the caller's digits

    def fetch_trace(self, tag: str) -> dict[str, Any] | None:
        """The service's trace of the call tagged `tag`, None while it has none."""
        assert self.admin is not None
        request = urllib.request.Request(f"{self.admin}/trace?tag={tag}", headers={
            "Authorization": f"Bearer {self.admin_token}"})
        try:
            with urllib.request.urlopen(request, timeout=5) as reply:
                trace: dict[str, Any] = json.loads(reply.read())
                return trace
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return None
            if error.code in (401, 403):
                raise SimulationError(f"the admin endpoint {self.admin} wants the operator "
                                      "token (--admin-token FILE)") from None
            raise SimulationError(f"the admin endpoint {self.admin}: {error}") from None
        except OSError as error:
            raise SimulationError(f"the admin endpoint {self.admin}: {error}") from None
