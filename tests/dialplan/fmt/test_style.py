"""The canonical layout, one rule per test: what `dialplan fmt` writes for a given input."""

from __future__ import annotations

import pytest

from dialplan.fmt import format_source


def fmt(text: str) -> str:
    result = format_source(text, "style.dialplan")
    assert result.text is not None, result.diagnostics
    return result.text


def test_one_statement_per_line_two_space_indent_and_labels_on_their_own_line() -> None:
    assert fmt('flow main { start: answer say "hi"; goto menu menu: hangup }') == (
        "flow main {\n"
        "  start:\n"
        "    answer\n"
        '    say "hi"\n'
        "    goto menu\n"
        "\n"
        "  menu:\n"
        "    hangup\n"
        "}\n")


def test_statements_before_the_first_label_get_the_start_label_written_out() -> None:
    assert fmt("flow f { answer }") == "flow f {\n  start:\n    answer\n}\n"


def test_blank_line_between_items_but_consecutive_routes_and_globals_stay_together() -> None:
    text = 'route 1 -> f route 2 -> f set a = 1 set b = 2 include "x.dialplan" flow f { hangup }'
    assert fmt(text) == (
        "route 1 -> f\nroute 2 -> f\n\nset a = 1\nset b = 2\n\ninclude \"x.dialplan\"\n\n"
        "flow f {\n  start:\n    hangup\n}\n")


def test_branches_one_per_line_with_inline_bodies_joined_by_semicolons() -> None:
    text = 'flow f { menu "p" { 1 -> goto a 2,"two" -> say "x" retry nomatch -> retry } a: }'
    assert fmt(text) == (
        "flow f {\n  start:\n"
        '    menu "p" {\n'
        "      1 -> a\n"
        '      2, "two" -> say "x"; retry\n'
        "      nomatch -> retry\n"
        "    }\n\n  a:\n}\n")


def test_a_lone_goto_to_a_state_named_like_a_statement_keeps_its_goto() -> None:
    out = fmt('flow f { menu: menu "p" { 1 -> goto menu 2 -> goto menu.x } }')
    assert "1 -> goto menu\n" in out and "2 -> goto menu.x\n" in out


def test_nested_blocks_in_a_branch_indent_one_level_under_the_branch() -> None:
    text = 'flow f { menu "p" { 1 -> transfer "t" { failed -> hangup } ; say "x" } }'
    assert fmt(text).splitlines()[3:7] == [
        '      1 -> transfer "t" {',
        "        failed -> hangup",
        '      }; say "x"',
        "    }",
    ]


def test_if_elif_else_chain_closes_and_opens_on_one_line() -> None:
    text = "flow f { if a { answer } elif b { } else { hangup } }"
    assert fmt(text).splitlines()[2:8] == [
        "    if a {", "      answer", "    } elif b {", "    } else {", "      hangup", "    }"]


def test_a_bare_collect_ending_a_branch_keeps_the_semicolon_that_ends_it() -> None:
    out = fmt('flow f { menu "p" { 1 -> collect x; "w" -> retry } }')
    assert '      1 -> collect x;\n      "w" -> retry\n' in out


@pytest.mark.parametrize(("written", "canonical"), [
    (r'"tab\there"', r'"tab\there"'),
    (r'"\u00e9t\u00e9"', '"été"'),
    (r'"quote \" and \\ back"', r'"quote \" and \\ back"'),
    (r'"bell \u0007 nul \0"', r'"bell \u0007 nul \0"'),
    (r'"\U0001F600"', '"😀"'),
])
def test_strings_are_re_escaped_one_way(written: str, canonical: str) -> None:
    assert fmt(f"flow f {{ say {written} }}").splitlines()[2] == f"    say {canonical}"


def test_durations_stay_as_written_and_numbers_lose_only_redundant_digits() -> None:
    out = fmt("flow f { wait 1500ms menu \"p\" timeout 0.5s confidence 0.50 { 1 -> retry } }")
    assert "wait 1500ms" in out and "timeout 0.5s confidence 0.5 {" in out


def test_options_keep_their_source_order() -> None:
    out = fmt('flow f { say "x" rate 150 voice "en" language "de" }')
    assert 'say "x" rate 150 voice "en" language "de"' in out


def test_expressions_are_written_by_unparse_with_the_parentheses_they_need() -> None:
    out = fmt("flow f { set x = ( a or b ) and not(c) set y = a and (b and c) "
              "set z = (a == b) == true }")
    assert "set x = (a or b) and not c" in out
    assert "set y = a and (b and c)" in out
    assert "set z = (a == b) == true" in out


def test_route_numbers_are_bare_unless_they_need_quotes() -> None:
    assert fmt('route "100", "_2XX", "alice" from "_49X." -> f') == (
        'route 100, _2XX, "alice" from _49X. -> f\n')


def test_schedule_entries_in_source_order_with_adjacent_holidays_merged() -> None:
    text = ('schedule s { timezone "UTC" mon - fri 09:00-12:00,13:00-17:00 '
            "holiday 2026-12-24 holiday 2026-12-25..2026-12-26 }")
    assert fmt(text) == (
        'schedule s {\n  timezone "UTC"\n  mon-fri 09:00-12:00, 13:00-17:00\n'
        "  holiday 2026-12-24, 2026-12-25..2026-12-26\n}\n")


def test_queue_settings_one_per_line() -> None:
    assert fmt('queue q { agents "a","b" max_wait 3m }') == (
        'queue q {\n  agents "a", "b"\n  max_wait 3m\n}\n')


def test_output_ends_with_one_newline_and_an_empty_file_stays_empty() -> None:
    assert fmt("\n\nroute 1 -> f\n\n\n") == "route 1 -> f\n"
    assert fmt("  \n") == ""


def test_syntax_errors_give_diagnostics_and_no_text() -> None:
    result = format_source("flow f { say 42 }", "bad.dialplan")
    assert result.text is None
    assert [d.code for d in result.diagnostics] == ["E102"]


def test_an_unterminated_string_is_a_syntax_error_for_the_formatter() -> None:
    result = format_source('flow f { say "open\n}', "bad.dialplan")
    assert result.text is None
    assert [d.code for d in result.diagnostics] == ["E103"]


def test_deep_nesting_formats_while_the_parser_takes_it_and_is_e107_beyond() -> None:
    def nested(depth: int) -> str:
        return "flow f { " + "if a { " * depth + "answer" + " }" * depth + " }"

    assert fmt(nested(200)).count("if a {") == 200
    result = format_source(nested(1000), "deep.dialplan")
    assert result.text is None and [d.code for d in result.diagnostics] == ["E107"]
