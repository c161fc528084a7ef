"""The compiled plan: the data contract between the compiler, which writes it, and the
machine (and the tools), which read it. Actions, nodes and declarations, and routes."""

from .actions import (
    DEFAULT_VOICE,
    Action,
    Answer,
    Branch,
    Collect,
    Dial,
    Enqueue,
    Enter,
    Fetch,
    Hangup,
    Input,
    Listen,
    Menu,
    Play,
    Prompt,
    Record,
    Retry,
    Return,
    Ringing,
    Run,
    Say,
    SetVar,
    Transfer,
    Voice,
    Wait,
)
from .labels import Key, Label, Outcome, Word
from .model import FlowInfo, Node, Plan, Queue, RouteRule, Schedule

__all__ = [
    "DEFAULT_VOICE", "Action", "Answer", "Branch", "Collect", "Dial", "Enqueue", "Enter",
    "Fetch",
    "FlowInfo", "Hangup", "Input", "Key", "Label", "Listen", "Menu", "Node", "Outcome", "Plan",
    "Play", "Prompt", "Queue", "Record", "Retry", "Return", "Ringing", "RouteRule", "Run", "Say",
    "Schedule", "SetVar", "Transfer", "Voice", "Wait", "Word",
]
