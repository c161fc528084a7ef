"""Call priorities: which calls may use the slots held in reserve.

Why: a worker has only 4 call slots; an operator can keep some for
high-priority traffic (e.g. emergency numbers) so ordinary calls cannot fill
the process completely.
"""

from __future__ import annotations

from enum import IntEnum


class Priority(IntEnum):
    LOW = 0
    NORMAL = 1
    HIGH = 2
    EMERGENCY = 3
