"""The extension headers the engine hands a handler from an INVITE: `X-` only, in order,
folded lines joined, bounded in count and length (a hostile INVITE cannot make every call
carry kilobytes), the body never read as headers."""

from __future__ import annotations

from engine.sip_headers import MAX_HEADERS, MAX_VALUE, extension_headers

HEAD = ("INVITE sip:100@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070\r\n"
        "From: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:100@127.0.0.1>\r\n")


def test_only_x_headers_are_handed_on_in_their_order() -> None:
    message = HEAD + "X-Dialplan-Extension: 201\r\nSubject: hi\r\nx-ticket:  7 \r\n\r\nX-No: body"
    assert extension_headers(message) == (("X-Dialplan-Extension", "201"), ("x-ticket", "7"))


def test_a_folded_header_is_one_value() -> None:
    message = HEAD + "X-Note: first\r\n  second\r\nCall-ID: 1\r\n\r\n"
    assert extension_headers(message) == (("X-Note", "first second"),)


def test_many_or_long_headers_are_cut_to_the_bounds() -> None:
    many = "".join(f"X-H{n}: {'v' * 1000}\r\n" for n in range(100))
    found = extension_headers(HEAD + many + "\r\n")
    assert len(found) == MAX_HEADERS
    assert all(len(value) == MAX_VALUE for _, value in found)


def test_a_line_without_a_colon_or_with_a_bad_name_is_skipped() -> None:
    message = HEAD + "X-Broken\r\nX Bad: 1\r\nX-Good: 2\r\n\r\n"
    assert extension_headers(message) == (("X-Good", "2"),)
