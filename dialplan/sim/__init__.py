"""The virtual call: a plan run on a virtual clock, seen from the caller's side."""

from .call import DEFAULT_START, SimulationError, VirtualCall
from .clock import BadInstant, VirtualClock, parse_instant
from .outcomes import OUTCOMES

__all__ = ["DEFAULT_START", "OUTCOMES", "BadInstant", "SimulationError", "VirtualCall",
           "VirtualClock", "parse_instant"]
