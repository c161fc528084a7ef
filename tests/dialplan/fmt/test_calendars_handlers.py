"""`dialplan fmt` keeps yearly holidays and calendars (each kind on its own line) and
lays out `handlers` blocks."""

from __future__ import annotations

from dialplan.fmt import format_source


def test_yearly_dates_ranges_and_calendars_are_written_back_as_given() -> None:
    text = ('schedule s { mon 09:00-17:00 holiday 12-24..12-26 holiday 12-31..01-01 '
            'holidays "DE-BY" holidays "AT" }\n')
    result = format_source(text, "s.dialplan")
    assert result.text == (
        "schedule s {\n"
        "  mon 09:00-17:00\n"
        "  holiday 12-24..12-26, 12-31..01-01\n"
        '  holidays "DE-BY", "AT"\n'
        "}\n")


def test_a_comment_between_two_calendars_keeps_them_on_their_own_lines() -> None:
    text = 'schedule s {\n  holidays "DE-BY"  // Bavaria\n  holidays "AT"\n}\n'
    assert format_source(text, "s.dialplan").text == text


def test_handlers_blocks_are_laid_out_like_menu_branches_the_flows_first() -> None:
    text = ('handlers { noinput -> say "Sorry?"; retry exhausted -> bye }\n'
            'flow main { handlers { nomatch -> retry } start: hangup bye: hangup }\n')
    assert format_source(text, "h.dialplan").text == (
        "handlers {\n"
        '  noinput -> say "Sorry?"; retry\n'
        "  exhausted -> bye\n"
        "}\n"
        "\n"
        "flow main {\n"
        "  handlers {\n"
        "    nomatch -> retry\n"
        "  }\n"
        "\n"
        "  start:\n"
        "    hangup\n"
        "\n"
        "  bye:\n"
        "    hangup\n"
        "}\n")
