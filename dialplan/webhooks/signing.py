"""Signing a webhook's body, and checking a signature as a receiver should.

The header is `X-Dialplan-Signature: t=<unix seconds>,v1=<hex>`, where the hex is
HMAC-SHA256 with the shared secret over `<t>.` followed by the exact body bytes (the
scheme Stripe uses). The timestamp is inside the MAC, so a receiver that refuses
signatures older than a few minutes cannot be fed a recorded delivery again later;
each event also carries a unique `id` for telling a retry from a new event.
"""

from __future__ import annotations

import hashlib
import hmac

HEADER = "X-Dialplan-Signature"
TOLERANCE = 300.0  # seconds a receiver accepts between the signature's time and its own


def signature(secret: str, body: bytes, timestamp: int) -> str:
    """The header's value for `body` sent at `timestamp` (unix seconds)."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(secret: str, header: str, body: bytes, now: float,
           tolerance: float = TOLERANCE) -> bool:
    """Whether `header` signs `body` with `secret`, made within `tolerance` of `now`.
    A receiver's whole check (docs/webhooks.md has the same in a few lines)."""
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(fields["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = signature(secret, body, timestamp).split("v1=", 1)[1]
    return hmac.compare_digest(expected, fields.get("v1", ""))
