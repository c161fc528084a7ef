"""The sans-IO call machine: plan + call state + event -> new call state + commands."""

from .core import Machine
from .state import CallInfo, CallState, Phase

__all__ = ["CallInfo", "CallState", "Machine", "Phase"]
