"""Completion contexts, on the feature function (the stdio session tests cover `goto`,
options, keywords and template variables end to end)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dialplan.lsp.analysis import analyse, prompt_names, trunk_names
from dialplan.lsp.completion import complete

PLAN = """schedule hours {
  mon-fri 09:00-17:00
}

queue sales {
  max_wait 2m
}

flow main {
  start:
    answer
    if during hours {
      queue sales
    }
    play "welcome"
    hangup
}
"""


def _labels(tmp_path: Path, before: str, line: int) -> list[str]:
    path = str(tmp_path / "plan.dialplan")
    analysis = analyse(path, {path: PLAN})
    return [item.label for item in complete(analysis, path, before, line,
                                            prompt_names(path))]


@pytest.mark.parametrize(("before", "line", "expected"), [
    ("    if during ", 12, ["hours"]),
    ("      queue ", 13, ["sales"]),
    ('    play "', 15, ["beep", "welcome"]),
    ("  ", 6, ["agents", "music", "ring_timeout", "strategy", "max_callers"]),  # not max_wait
    ("max_wait 2m ", 6, []),
    ("", 4, ["include", "defaults", "route", "set", "flow", "schedule", "queue", "handlers"]),
])
def test_completion_offers_what_fits_the_context(tmp_path: Path, before: str, line: int,
                                                 expected: list[str]) -> None:
    prompts = tmp_path / "prompts" / "en"
    prompts.mkdir(parents=True)
    (prompts / "welcome.wav").write_bytes(b"")
    (tmp_path / "prompts" / "beep.wav").write_bytes(b"")
    (tmp_path / "dialplan.toml").write_text('[lint]\nprompts = ["prompts"]\n')
    assert _labels(tmp_path, before, line) == expected


def test_after_an_arrow_states_then_flows_then_statements_are_offered(tmp_path: Path) -> None:
    labels = _labels(tmp_path, "      1 -> ", 13)
    assert labels[:3] == ["start", "main", "main.start"]
    assert {"say", "retry", "hangup"} <= set(labels[3:])
    assert "say" not in _labels(tmp_path, "    goto ", 13)


def test_after_dial_its_kinds_then_after_dial_trunk_the_configured_trunks(
        tmp_path: Path) -> None:
    (tmp_path / "dialplan.toml").write_text(
        '[trunks.carrier]\nproxy = "127.0.0.1:5090"\nregister = false\n\n'
        '[trunks.backup]\nproxy = "127.0.0.1:5091"\nregister = false\n')
    path = str(tmp_path / "plan.dialplan")
    analysis = analyse(path, {path: PLAN})

    def labels(before: str) -> list[str]:
        return [item.label for item in complete(analysis, path, before, 13,
                                                prompt_names(path), trunk_names(path))]

    assert labels("    dial ") == ["extension", "trunk"]
    assert labels("      1 -> dial ex") == ["extension", "trunk"]
    assert labels("    dial trunk ") == ["backup", "carrier"]
    assert labels('    dial trunk carrier "{{ called }}" ') == ["timeout", "caller_id"]


def test_a_string_after_holidays_offers_the_calendars_region_codes(tmp_path: Path) -> None:
    labels = _labels(tmp_path, '  holidays "', 2)
    assert {"DE", "DE-BY", "AT", "US-CA"} <= set(labels)
    assert labels.index("DE") < labels.index("DE-BY")  # countries first
def test_in_an_expression_variables_then_functions_with_their_signatures(tmp_path: Path) -> None:
    path = str(tmp_path / "plan.dialplan")
    text = PLAN.replace("    answer\n", "    answer\n    set total = 1\n")
    analysis = analyse(path, {path: text})
    items = complete(analysis, path, "    set due = 2 * ", 16, ())
    assert items[0].label == "total" and items[0].detail is None
    functions = items[1:]
    assert {"length", "format_number", "slice"} <= {item.label for item in functions}
    slice_item = next(item for item in functions if item.label == "slice")
    assert slice_item.detail == "slice(text: text, start: number, [end: number]) -> text"
    assert slice_item.insert_text == "slice("
    inside = complete(analysis, path, "    set n = length(caller, ", 16, ())
    assert "upper" in {item.label for item in inside}
    template = complete(analysis, path, '    say "{{ ', 16, ())
    assert [item.label for item in template] == ["total"]  # templates call no functions
