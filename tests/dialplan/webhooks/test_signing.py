"""The signature a receiver checks: HMAC-SHA256 over `<t>.<body>`; a changed body, a
wrong secret, an old timestamp or a malformed header all fail."""

from __future__ import annotations

import hashlib
import hmac

from dialplan.webhooks.signing import signature, verify

SECRET = "0123456789abcdef0123"
BODY = b'{"event":"ended","outcome":"hangup"}'
NOW = 1_800_000_000


def test_the_header_is_the_hmac_of_timestamp_dot_body() -> None:
    mac = hmac.new(SECRET.encode(), f"{NOW}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert signature(SECRET, BODY, NOW) == f"t={NOW},v1={mac}"


def test_a_fresh_signature_of_the_same_body_verifies() -> None:
    assert verify(SECRET, signature(SECRET, BODY, NOW), BODY, NOW + 10)


def test_a_changed_body_or_another_secret_fails() -> None:
    header = signature(SECRET, BODY, NOW)
    assert not verify(SECRET, header, BODY.replace(b"hangup", b"transferred"), NOW)
    assert not verify("another-secret-0123456", header, BODY, NOW)


def test_a_replayed_delivery_fails_once_older_than_the_tolerance() -> None:
    header = signature(SECRET, BODY, NOW)
    assert verify(SECRET, header, BODY, NOW + 299)
    assert not verify(SECRET, header, BODY, NOW + 301)


def test_a_timestamp_moved_forward_breaks_the_mac() -> None:
    forged = signature(SECRET, BODY, NOW).replace(f"t={NOW}", f"t={NOW + 600}")
    assert not verify(SECRET, forged, BODY, NOW + 600)


def test_malformed_headers_fail_without_raising() -> None:
    for header in ("", "t=abc,v1=00", "v1=00", "t=1800000000", "garbage"):
        assert not verify(SECRET, header, BODY, NOW)
