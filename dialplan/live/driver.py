"""Theory of operation: scenarios over real SIP against a running `dialplan serve`.

The LiveDriver implements the scenario drivers' protocol (sim/driver.py) with real
calls. Each scenario's call is placed by its own caller process (caller.py: an
engine, since pjsua2 allows one endpoint per process and this process may host none)
to `sip:NUMBER@HOST:PORT`, with a tag in the Request-URI so the call can be found
again. Digits go out as RFC 2833 DTMF, `hang up` sends BYE, `wait` is real time.

What the caller perceives is assembled from two sources:
- the wire: the answer (200 OK), the service's refusal or BYE and its status, and
  the REFER of a transfer with its Refer-To target (the caller's engine accepts it
  and calls the target, as a transferee does);
- the service's trace of this call (`GET /trace?tag=` on its admin endpoint, see
  trace.py, with the operator token), for what audio cannot tell: the text said,
  the prompts played, states, variables, dials and queues, and the outcome each
  transfer, dial or queue had.
  A transfer or hangup in the trace counts only once the wire has shown it too.
Without an admin URL only the wire is seen: `hear`, `play`, `state`, `var`, `dial`,
`queue` and `silence` are then unobservable (skipped), and a prompt counts as over
once the caller has received a second of silence.

Timing. Offline, prompts take no time unless a scenario says otherwise. Live, after
every step the driver waits until the service has settled: every digit sent has
arrived, every prompt has finished (so the timers that start after a prompt are
running), and the wire has caught up with the trace. A `wait` then counts from there,
so what was instant offline is instant here too, to within about 0.2 s.

Outcomes. The far end of a transfer, dial or queue decides how it goes, not the
caller: an `outcome` step waits for the outcome the service saw, and if it is
another, the rest of the scenario cannot be followed (Unfollowable: skipped, with
the reason). Speech cannot be sent, and a call cannot be placed at another time.

HTTP. A scenario's `http` lines are served by real local servers for its call
(mocks.py); the service's requests reach them as any lookup would. A lookup on its way
counts as not yet settled, so a step's `wait` counts from its answer (or timeout).
"""

from __future__ import annotations

import threading

from ..machine.trace import Transition
from ..plan import Plan
from ..sim.driver import CallSpec, Unfollowable
from .mocks import LiveMocks
from .service import Service
from .session import LiveSession


class LiveDriver:
    """Places each scenario's call on a running service at `host:port`."""

    name = "live"

    def __init__(self, plan: Plan, service: str, admin: str | None = None,
                 admin_token: str = "") -> None:
        self.plan = plan
        self.service = Service(plan, service, admin.rstrip("/") if admin else None,
                               admin_token)
        self.sessions: list[LiveSession] = []
        self.mocks_turn = threading.Lock()  # scenarios with `http` mocks take turns

    def place(self, spec: CallSpec) -> LiveSession:
        if spec.at is not None:
            raise Unfollowable("a live call happens now, on the service's clock; this "
                               "scenario calls at a given time")
        if spec.extension:
            raise Unfollowable("a live call comes from no registered phone; this scenario "
                               "calls from an authenticated extension")
        mocks = LiveMocks(spec.http, self.mocks_turn) if spec.http else None
        if mocks is not None:
            mocks.start()
        session = LiveSession(self.service, spec, mocks.stop if mocks else None)
        self.sessions.append(session)
        try:
            session.start()
        except BaseException:
            session.close()
            raise
        return session

    def taken(self) -> list[Transition]:
        """Transitions the service's traces show, if it runs this very plan."""
        return [Transition(node, label) for session in self.sessions
                if session.trace and session.trace["version"] == self.plan.version
                for node, label in session.trace["taken"]]
