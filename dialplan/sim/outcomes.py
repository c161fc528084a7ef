"""The outcomes a user may pick for a pending transfer, dial or queue, and the engine
event each one stands for.

One vocabulary for the simulator and the scenario files: `answer`, `busy`,
`noanswer`, `fail`, and `end` for the far party hanging up a bridged call.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..machine import events as ev

OUTCOMES = ("answer", "busy", "noanswer", "unavailable", "fail", "end")

_TRANSFER = {"answer": ev.TransferResult(True, 200), "busy": ev.TransferResult(False, 486),
             "noanswer": ev.TransferResult(False, 480), "fail": ev.TransferResult(False, 500)}
_DIAL = {"answer": ev.DialResult("answered"), "busy": ev.DialResult("busy"),
         "noanswer": ev.DialResult("noanswer"), "unavailable": ev.DialResult("unavailable"),
         "fail": ev.DialResult("failed")}
_QUEUE = {"answer": ev.QueueResult("answered"), "noanswer": ev.QueueResult("noanswer"),
          "fail": ev.QueueResult("failed")}
_BRIDGED = {"end": ev.BridgeEnded()}
TABLES: dict[str, Mapping[str, ev.Event]] = {
    "transfer": _TRANSFER, "dial": _DIAL, "queue": _QUEUE, "bridged": _BRIDGED}


def outcome_event(situation: str, outcome: str) -> ev.Event | None:
    """The event for `outcome` while a `situation` (transfer, dial, queue, bridged)
    waits; None when that outcome makes no sense there (a busy queue)."""
    return TABLES.get(situation, {}).get(outcome)


def choices(situation: str) -> tuple[str, ...]:
    return tuple(TABLES.get(situation, {}))
