"""Who the caller is: believed from the registrar's address only (`identity_sources`),
never from anyone else, and never in a form that could smuggle anything."""

from __future__ import annotations

import engine
from dialplan.runtime.identity import CallerIdentity


def invite(source: str, *headers: tuple[str, str]) -> engine.IncomingCall:
    return engine.IncomingCall("in-1", "<sip:201@127.0.0.1>", "<sip:100@127.0.0.1>",
                               "sip:100@127.0.0.1", "c1", source, headers)


def test_the_extension_is_believed_from_an_identity_source() -> None:
    identity = CallerIdentity(("127.0.0.1",))
    assert identity.extension(invite("127.0.0.1:5060", ("x-dialplan-extension", "201"))) == "201"


def test_the_header_from_anywhere_else_is_ignored() -> None:
    identity = CallerIdentity(("127.0.0.1",))
    assert identity.extension(invite("127.0.0.2:5060", ("X-Dialplan-Extension", "201"))) == ""


def test_without_identity_sources_nobody_is_believed() -> None:
    identity = CallerIdentity(None)
    assert identity.extension(invite("127.0.0.1:5060", ("X-Dialplan-Extension", "201"))) == ""


def test_a_malformed_extension_is_ignored_even_from_the_proxy() -> None:
    identity = CallerIdentity(("127.0.0.0/8",))
    for claimed in ("201@evil.example", "2 01", "", "x" * 33, "201;user=phone"):
        assert identity.extension(invite("127.0.0.1:5060",
                                         ("X-Dialplan-Extension", claimed))) == ""


def test_no_header_means_no_extension() -> None:
    assert CallerIdentity(("127.0.0.1",)).extension(invite("127.0.0.1:5060")) == ""
