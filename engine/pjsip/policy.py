"""Where a far end may send the engine: plain data, any thread.

Why separate from the hub: the rule is decided inside a pjsua2 callback, which cannot
wait for the event loop, so it must be answerable synchronously from data the owner
gave beforehand (``engine.sources`` holds the other such rule: where INVITEs may come
from). A ``ReferRule`` says what a REFER received on one session gets: 202 to go
ahead, or the refusal status.
"""

from __future__ import annotations

REFER_REFUSED = 603  # no rule for the session: the engine never dials on a far end's say-so


