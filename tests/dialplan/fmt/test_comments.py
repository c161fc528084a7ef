"""Comments stay where they were: on the line of the statement they followed, or above
the statement they preceded; inside a block before its `}` they stay inside."""

from __future__ import annotations

from dialplan.fmt import format_source


def fmt(text: str) -> str:
    result = format_source(text, "comments.dialplan")
    assert result.text is not None, result.diagnostics
    return result.text


def test_a_comment_on_a_statements_line_stays_at_the_end_of_it() -> None:
    assert fmt("flow f {\n start:\n  answer   // pick up\n}\n").splitlines()[2] == (
        "    answer  // pick up")


def test_a_comment_above_a_statement_stays_above_it_at_its_indent() -> None:
    out = fmt("flow f {\nstart:\nanswer\n// then hang up\nhangup\n}\n")
    assert out.splitlines()[3:5] == ["    // then hang up", "    hangup"]


def test_a_file_header_keeps_its_blank_line_and_extra_blank_lines_collapse() -> None:
    out = fmt("// header\n\n\n\nroute 1 -> f\n")
    assert out == "// header\n\nroute 1 -> f\n"


def test_block_comments_keep_their_lines() -> None:
    out = fmt("/* one\n   two */\nroute 1 -> f /* inline */\n")
    assert out == "/* one\n   two */\nroute 1 -> f  /* inline */\n"


def test_a_comment_inside_a_statement_moves_to_the_end_of_its_line() -> None:
    out = fmt('flow f { play "a", // first\n "b" }')
    assert '    play "a", "b"  // first' in out


def test_a_comment_that_cannot_follow_a_line_comment_goes_on_the_next_line() -> None:
    out = fmt('flow f { play "a", // first\n "b" /* second */ }')
    assert out.splitlines()[2:4] == ['    play "a", "b"  // first', "  /* second */"]


def test_a_comment_before_a_closing_brace_stays_inside_the_block() -> None:
    out = fmt('flow f { menu "p" { 1 -> retry\n // last\n } }')
    assert out.splitlines()[3:6] == ["      1 -> retry", "      // last", "    }"]


def test_a_comment_after_a_closing_brace_stays_on_its_line() -> None:
    out = fmt("flow f { hangup } // end of f\nroute 1 -> f\n")
    assert out.startswith("flow f {\n  start:\n    hangup\n}  // end of f\n\nroute 1 -> f\n")


def test_comments_on_neighbouring_lines_are_aligned() -> None:
    out = fmt("route 1 -> a // one\nroute 100 -> abc // two\n")
    assert out == "route 1 -> a      // one\nroute 100 -> abc  // two\n"


def test_comments_between_holidays_keep_them_on_separate_lines() -> None:
    out = fmt("schedule s { holiday 2026-12-25, // xmas\n 2027-01-01 }")
    assert out.splitlines()[1:3] == ["  holiday 2026-12-25  // xmas", "  holiday 2027-01-01"]


def test_windows_line_endings_become_unix_ones() -> None:
    assert fmt("route 1 -> f // x\r\n") == "route 1 -> f  // x\n"
