"""Literal transfer and dial targets are checked where they are written: a target the
engine would refuse on every call is a compile error (E417), not a `failed` branch."""

from __future__ import annotations

import pytest

from dialplan.build import build_text
from dialplan.compiler.targets import target_problem
from dialplan.fmt import format_source

OPT_IN = "defaults target_parameters true\n"
REFUSED_PARAMETERS = ("URI parameters (`;...`) are refused unless the plan says "
                      "`defaults target_parameters true`")
ONLY_TRANSPORT = "the engine sends no URI parameter but `;transport=udp`, `tcp` or `tls`"
HEADERS = "URI headers (`?...`) are never sent"


def problems(target: str, head: str = "") -> list[tuple[str, str, str]]:
    source = (f"{head}route 1 -> main\n"
              f'flow main {{ s: answer; dial "sip:ok@127.0.0.1", "{target}"; hangup }}')
    return [(d.code, f"{d.span.line}:{d.span.column}", d.message)
            for d in build_text(source, "t.dialplan").diagnostics]


@pytest.mark.parametrize("target", ["200", "*97", "+4930123", "sip:200@127.0.0.1:5070",
                                    "sips:alice@pbx.example", "sip:a.b_c~d-e@h"])
def test_extensions_and_plain_sip_uris_are_valid_targets(target: str) -> None:
    assert problems(target) == []


@pytest.mark.parametrize(("target", "detail"), [
    ("tel:+4930123", "`tel:` is not a SIP URI: write `sip:` or `sips:`"),
    ("http://evil.example/x", "`http:` is not a SIP URI: write `sip:` or `sips:`"),
    ("200@pbx", "no `sip:` or `sips:` scheme (an extension is digits, `*`, `#` and `+`)"),
    ("sip:200", "not a plain SIP URI: write `sip:user@host` or `sip:user@host:port`, "
                "the user of A-Z a-z 0-9 * # + . _ ~ -"),
])
def test_a_literal_target_that_is_not_a_sip_uri_is_an_error_at_the_target(
        target: str, detail: str) -> None:
    assert problems(target) == [("E417", "2:49", f"invalid target `{target}`: {detail}")]


def test_uri_parameters_in_a_literal_target_are_an_error_without_the_plan_setting() -> None:
    assert problems("sip:200@pbx;transport=tcp") == [
        ("E417", "2:49", f"invalid target `sip:200@pbx;transport=tcp`: {REFUSED_PARAMETERS}")]


def test_the_plan_setting_allows_the_transport_parameter_the_engine_sends() -> None:
    assert problems("sip:200@pbx;transport=tcp", OPT_IN) == []
    assert problems("sip:200@pbx;maddr=evil.example", OPT_IN) == [
        ("E417", "3:49", f"invalid target `sip:200@pbx;maddr=evil.example`: {ONLY_TRANSPORT}")]


def test_uri_headers_are_an_error_even_with_the_plan_setting() -> None:
    for head, line in (("", 2), (OPT_IN, 3)):
        assert problems("sip:200@pbx?Replaces=abc", head) == [
            ("E417", f"{line}:49", f"invalid target `sip:200@pbx?Replaces=abc`: {HEADERS}")]


def test_transfer_targets_are_checked_like_dial_targets() -> None:
    build = build_text('route 1 -> main\nflow main { s: answer; transfer "sip:1@h;lr" }', "t")
    assert [d.code for d in build.diagnostics] == ["E417"]


@pytest.mark.parametrize(("target", "problem"), [
    ("{{ target }}", None),
    ("sip:{{ ext }}@127.0.0.1:5090", None),
    ("{{ user }}@pbx", None),
    ("tel:{{ number }}", "`tel:` is not a SIP URI: write `sip:` or `sips:`"),
    ("sip:{{ ext }}@pbx;maddr=evil", REFUSED_PARAMETERS),
    ("sip:{{ ext }}@pbx?X-Y=1", HEADERS),
])
def test_templated_targets_are_checked_on_their_literal_text_only(
        target: str, problem: str | None) -> None:
    assert target_problem(target, parameters=False) == problem


def test_the_plan_setting_must_be_a_boolean() -> None:
    build = build_text('defaults target_parameters "yes"\nroute 1 -> m\nflow m { s: hangup }')
    assert [d.code for d in build.diagnostics] == ["E402"]


def extension_problems(target: str) -> list[tuple[str, str]]:
    source = f'route 1 -> main\nflow main {{ s: answer; dial extension "{target}"; hangup }}'
    return [(d.code, d.message) for d in build_text(source, "t.dialplan").diagnostics]


@pytest.mark.parametrize("target", ["201", "*97", "{{ called }}", "2{{ caller }}"])
def test_dial_extension_takes_numbers_and_templates_of_numbers(target: str) -> None:
    assert extension_problems(target) == []


@pytest.mark.parametrize(("target", "detail"), [
    ("sip:201@pbx", "an extension is digits, `*`, `#` and `+` (up to 32)"),
    ("alice", "an extension is digits, `*`, `#` and `+` (up to 32)"),
    ("{{ called }}@evil", "only digits, `*`, `#` and `+` may be written around the template"),
])
def test_dial_extension_refuses_what_can_never_be_an_extension(target: str, detail: str
                                                                ) -> None:
    assert extension_problems(target) == [("E417", f"invalid target `{target}`: {detail}")]


def test_dial_extension_formats_back_to_itself() -> None:
    text = ('route 1 -> main\n\nflow main {\n  s:\n    answer\n'
            '    dial extension "201", "202" timeout 20s {\n'
            '      unavailable -> hangup\n    }\n    hangup\n}\n')
    assert format_source(text, "t.dialplan").text == text
