"""One scenario's real call for the LiveDriver (driver.py explains the whole): the
caller's side of each step, and settling, i.e. waiting until the service has done what
the step set off, judged from its trace and from the wire."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from ..sim import SimulationError
from ..sim import perceived as seen
from ..sim.call import KEYS
from ..sim.driver import CallSpec, Unfollowable, Unobservable
from .clock import SilenceClock
from .process import CallerError, EngineProcess, start_caller
from .service import Service
from .view import Wire, perceived

ANSWER_TIMEOUT = 10.0  # seconds for the service to answer or refuse
REPLY_SLACK = 5.0  # ... and more for the caller process to say so
SETTLE_LIMIT = 30.0  # seconds for the service to finish what it plays after a step
OUTCOME_LIMIT = 15.0  # seconds to wait for a transfer, dial or queue to turn out
WIRE_LIMIT = 5.0  # seconds for the wire to show what the trace already says
FIND_TRACE = 5.0  # seconds for an answered call's trace to appear on the admin endpoint
GRACE = 0.15  # seconds for a step's effect to reach the service before asking it
POLL = 0.05
TRACE_ONLY = frozenset({"hear", "play", "state", "var", "dial", "queue", "silence", "fetch"})
REQUESTS = ("transfer", "dial", "queue")


class LiveSession:
    """One scenario's real call, seen from the caller's side (and the service's trace)."""

    def __init__(self, service: Service, spec: CallSpec,
                 on_close: Callable[[], None] | None = None) -> None:
        self.service, self.spec, self.on_close = service, spec, on_close  # mocks' end
        self.tag = uuid.uuid4().hex[:16]
        self.unobservable = frozenset() if service.admin else TRACE_ONLY
        self.transcript: list[seen.Perceived] = []
        self.trace: dict[str, Any] | None = None
        self.answered = False
        self.refused: int | None = None  # the status the service refused the call with
        self.hung_up = False  # by the caller
        self.digits_sent = 0
        self.outcomes_used = 0
        self.refers_awaited = 0  # transfers in the trace whose REFER was waited for
        # Without a trace, the silence on the wire tells when prompts end
        self.clock = SilenceClock(spec.prompts == "instant", SETTLE_LIMIT, POLL)
        self.caller: EngineProcess | None = None

    # -- the caller's side ---------------------------------------------------------------
    def start(self) -> list[seen.Perceived]:
        try:
            self.caller = start_caller()
            to = f"sip:{self.spec.number}@{self.service.address};x-dialplan-test={self.tag}"
            reply = self.caller.request(
                "call", deadline=ANSWER_TIMEOUT + REPLY_SLACK, to=to, timeout=ANSWER_TIMEOUT,
                **{"from": f"sip:{self.spec.caller}@127.0.0.1"})
        except CallerError as error:
            raise SimulationError(str(error)) from None
        self.answered = reply["answered"]
        if not self.answered:
            self.refused = int(reply.get("status") or 0)
        items = self._settle()
        self._check_version()
        return items

    def press(self, keys: str) -> list[seen.Perceived]:
        bad = sorted(set(keys) - KEYS)
        if bad or not keys:
            raise SimulationError(f"not DTMF keys: {keys!r} (use 0-9, * and #)")
        self._require_live()
        self.clock.acted()
        self._ask("press", digits=keys)
        self.digits_sent += len(keys)
        return self._settle()

    def say(self, words: str, confidence: float = 1.0) -> list[seen.Perceived]:
        raise Unfollowable("this driver cannot speak on the wire")

    def wait(self, seconds: float) -> list[seen.Perceived]:
        if not self.ended:
            self.clock.wait(seconds)  # from now if the trace says when the service settled
        return self._settle()

    def choose(self, outcome: str) -> list[seen.Perceived]:
        """Check that the far end gave `outcome`; the caller cannot choose it. On the wire
        the call does not wait for the scenario: it may have gone on, even ended."""
        if self.service.admin is None:
            raise Unfollowable("without the service's trace (--admin) an outcome cannot be "
                               "told")
        if not any(r["kind"] in REQUESTS for r in self._records()):
            raise SimulationError("nothing is pending: no transfer, dial or queue waits")
        result = self._next_outcome()
        if result is None:
            raise Unfollowable(f"nothing turned out within {OUTCOME_LIMIT:g} s on the wire, "
                               f"so `{outcome}` cannot be followed")
        if result["outcome"] != outcome:
            raise Unfollowable(f"on the wire the {result['of']} gave `{result['outcome']}`, "
                               f"not `{outcome}` (the far end decides)")
        return self._settle()

    def hang_up(self) -> list[seen.Perceived]:
        self._require_live()
        self._ask("hangup")
        self.hung_up = True
        return self._settle()

    def close(self) -> None:
        try:
            if self.caller is not None:
                self._hang_up_caller()
        finally:
            on_close, self.on_close = self.on_close, None  # once only
            if on_close is not None:
                on_close()

    def _hang_up_caller(self) -> None:
        assert self.caller is not None
        try:
            if self.service.admin is not None:  # the final trace, for coverage
                self.trace = self.service.fetch_trace(self.tag) or self.trace
        except SimulationError:
            pass  # the service went away: keep the last trace seen
        finally:
            self.caller.close()
            self.caller = None

    # -- what can be observed --------------------------------------------------------------
    @property
    def ended(self) -> bool:
        return self.hung_up or self.refused is not None or self.news("ended") is not None

    @property
    def where(self) -> str:
        if self.ended:
            return "ended"
        return self.trace["where"] if self.trace else "a state the wire does not show"

    @property
    def states_reached(self) -> Sequence[str]:
        if self.trace is None:
            raise Unobservable("states are seen only in the service's trace")
        return list(self.trace["states"])

    @property
    def variables(self) -> dict[str, object]:
        if self.trace is None:
            raise Unobservable("variables are seen only in the service's trace")
        return dict(self.trace["variables"])

    @property
    def webhooks(self) -> list[dict[str, Any]]:
        raise Unobservable("webhooks go to the service's receivers; the simulator shows them")

    @property
    def pending(self) -> seen.Requested | None:
        requests = [i for i in self.transcript if isinstance(i, seen.Requested)]
        return requests[-1] if requests and not self.ended else None

    # -- plumbing ---------------------------------------------------------------------------
    def _ask(self, op: str, **args: Any) -> dict[str, Any]:
        assert self.caller is not None
        try:
            return self.caller.request(op, **args)
        except CallerError as error:
            raise SimulationError(str(error)) from None

    def _require_live(self) -> None:
        if self.ended:
            raise SimulationError("the call has ended")

    def news(self, event: str, count: int = 1, timeout: float = 0) -> dict[str, Any] | None:
        """The `count`-th news of this kind from the caller's wire, waiting up to `timeout`."""
        return self.caller.wait_news(event, timeout, count) if self.caller else None

    def _wire(self) -> Wire:
        news = self.caller.news if self.caller else []
        ended = self.news("ended")
        return Wire(self.answered, self.refused, self.hung_up,
                    int(ended["status"]) if ended else None,
                    [n["target"] for n in news if n["event"] == "transfer"])

    def _records(self) -> list[dict[str, Any]]:
        return self.trace["records"] if self.trace else []

    def _check_version(self) -> None:
        version = self.trace["version"] if self.trace else None
        if version is not None and version != self.service.plan.version:
            raise SimulationError(f"the service runs plan version {version}, not "
                                  f"{self.service.plan.version} as tested: reload it first")

    def _next_outcome(self) -> dict[str, Any] | None:
        deadline = time.monotonic() + OUTCOME_LIMIT
        while True:
            self.trace = self.service.fetch_trace(self.tag)
            results = [r for r in self._records() if r["kind"] == "result"]
            if len(results) > self.outcomes_used:
                self.outcomes_used += 1
                return results[self.outcomes_used - 1]
            if time.monotonic() > deadline or (self.trace and self.trace["ended"]):
                return None
            time.sleep(POLL)

    def _settle(self) -> list[seen.Perceived]:
        """Wait until the service is done with the last step, then see what it did."""
        time.sleep(GRACE)
        if self.service.admin is not None:
            self._settle_trace()
        else:
            self.clock.settle(lambda: float(self._ask("quiet")["seconds"]),
                              lambda: self.ended)
        before = len(self.transcript)
        self.transcript = perceived(self._wire(), self._records())
        return self.transcript[before:]

    def _settle_trace(self) -> None:
        started = time.monotonic()
        deadline = started + SETTLE_LIMIT
        while True:
            self.trace = self.service.fetch_trace(self.tag)
            if self.trace is not None and self._settled(self.trace):
                break
            if self.trace is None and self.ended:  # refused before any plan ran
                return
            if self.trace is None and time.monotonic() > started + FIND_TRACE:
                raise SimulationError(
                    f"{self.service.admin} has no trace of this call: is it the admin "
                    f"endpoint of the service at {self.service.address}? (the pool of "
                    f"`serve --processes` does not serve /trace)")
            if time.monotonic() > deadline:
                raise SimulationError(f"the service did not settle within {SETTLE_LIMIT:g} s "
                                      f"(trace: {self.trace and self.trace['where']})")
            time.sleep(POLL)
        transfers = sum(1 for r in self._records() if r["kind"] == "transfer")
        if transfers > self.refers_awaited:  # once each: a refused one sends no REFER
            self.news("transfer", transfers, WIRE_LIMIT)
            self.refers_awaited = transfers
        if self.trace is not None and self.trace["ended"] and self.answered:
            self.news("ended", 1, WIRE_LIMIT)

    def _settled(self, trace: dict[str, Any]) -> bool:
        if trace["ended"]:
            return True
        if trace["digits"] < self.digits_sent or trace.get("fetching"):
            return False
        return trace["prompts_owed"] == 0 or self.spec.prompts != "instant"
