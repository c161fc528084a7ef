"""Hypothesis: random and mutated inputs never raise anything but our own diagnostics.

Whatever the text, `build_text` returns a Build: either a plan, or diagnostics with
positions inside the text. `dialplan lint` and `dialplan show` (text and JSON) on the
same text, written to a file, exit 0 or 1 and never report an internal error, whatever
escapes its strings hold.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dialplan.build import build_text
from dialplan.cli.main import main
from dialplan.codes import CODES
from dialplan.machine import CallInfo, Machine
from dialplan.machine import events as ev
from tests.dialplan.transcript import MONDAY_NOON

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples" / "dialplans").rglob(
    "*.dialplan"))
SOURCES = [path.read_text() for path in EXAMPLES]
TOKENS = ["route", "flow", "{", "}", "->", ":", ";", '"x"', "menu", "1", "5s", "say", "goto",
          "if", "else", "elif", "set", "=", "==", "(", ")", "[", "]", ",", "..", "\n", "noinput",
          "retry", "a:", "hangup", "//", "/*", "*/", "\\", '"', "_1XX", "during", "queue"]
FAST = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def assert_well_formed(text: str) -> None:
    build = build_text(text, "fuzz.dialplan")
    lines = text.count("\n") + 1
    for diagnostic in build.diagnostics:
        assert diagnostic.code in CODES
        assert 1 <= diagnostic.span.line <= lines, diagnostic
    assert (build.plan is None) == any(d.is_error for d in build.diagnostics)


@FAST
@given(st.text())
def test_random_text_gives_diagnostics_not_exceptions(text: str) -> None:
    assert_well_formed(text)


@FAST
@given(st.lists(st.sampled_from(TOKENS), max_size=40).map(" ".join))
def test_random_token_soup_gives_diagnostics_not_exceptions(text: str) -> None:
    assert_well_formed(text)


@st.composite
def mutated_example(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(SOURCES))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["delete", "insert", "duplicate"]))
        span = draw(st.integers(1, 12))
        if kind == "delete":
            text = text[:at] + text[at + span:]
        elif kind == "insert":
            text = text[:at] + draw(st.sampled_from([*TOKENS, " ", "x", "9"])) + text[at:]
        else:
            text = text[:at] + text[at:at + span] + text[at:]
    return text


@settings(FAST, max_examples=300)
@given(mutated_example())
def test_mutated_examples_give_diagnostics_not_exceptions(text: str) -> None:
    assert_well_formed(text)


ESCAPES = st.one_of(
    st.sampled_from(["\\n", "\\t", "\\0", '\\"', "\\\\", "\\q", "\\", "\\u", "\\U12"]),
    st.integers(0, 0xFFFF).map(lambda n: f"\\u{n:04x}"),
    st.integers(0, 0xFFFFFFFF).map(lambda n: f"\\U{n:08X}"),
    st.sampled_from([0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0x10FFFF, 0x110000]).map(
        lambda n: f"\\U{n:08x}"),
)


@st.composite
def escaped_example(draw: st.DrawFn) -> str:
    """An example with escapes (good, bad, beyond U+10FFFF, surrogates) in its strings."""
    text = draw(st.sampled_from(SOURCES))
    quotes = [i for i, char in enumerate(text) if char == '"']
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.sampled_from(quotes)) + 1 if quotes else 0
        text = text[:at] + draw(ESCAPES) + text[at:]
    return text


def assert_cli_reports(text: str) -> None:
    """lint, show and show --format json on `text` as a file: exit 0 or 1, no traceback."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.dialplan"
        path.write_text(text, encoding="utf-8")
        for argv in (["lint", str(path)], ["show", str(path)],
                     ["show", "--format", "json", str(path)]):
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                status = main(argv)
            assert status in (0, 1), (argv, err.getvalue())
            assert "internal error" not in err.getvalue(), err.getvalue()


@settings(FAST, max_examples=60)
@given(escaped_example())
def test_escapes_of_any_code_point_give_diagnostics_in_lint_and_show(text: str) -> None:
    assert_well_formed(text)
    assert_cli_reports(text)


@settings(FAST, max_examples=40)
@given(st.one_of(st.text(), mutated_example()))
def test_lint_and_show_of_any_text_exit_0_or_1_without_internal_errors(text: str) -> None:
    assert_cli_reports(text)


EVENTS = st.one_of(
    st.just(ev.PromptFinished()), st.builds(ev.Digit, st.sampled_from("0123456789*#")),
    st.builds(ev.TimerFired, st.integers(0, 30)), st.just(ev.SpeechStarted()),
    st.builds(ev.SpeechResult, st.sampled_from(["", "sales", "yes", "no", "zzz"]),
              st.floats(0, 1)),
    st.builds(ev.TransferResult, st.booleans()),
    st.builds(ev.DialResult, st.sampled_from(["answered", "busy", "noanswer", "failed"])),
    st.builds(ev.QueueResult, st.sampled_from(["answered", "noanswer", "failed"])),
    st.just(ev.BridgeEnded()), st.builds(ev.RecordingFinished, st.just("r1"), st.just(3.0)),
)


@settings(FAST, max_examples=200)
@given(st.sampled_from(SOURCES), st.sampled_from(["0", "100", "237", "299", "300", "400", "500"]),
       st.lists(EVENTS, max_size=30))
def test_any_event_sequence_on_an_example_keeps_the_machine_consistent(
        source: str, called: str, events: list[ev.Event]) -> None:
    build = build_text(source, "example.dialplan")
    if build.plan is None:  # multi/main.dialplan needs its includes: compiled elsewhere
        return
    machine = Machine(build.plan)
    state, _ = machine.start(CallInfo("4930123456", called), MONDAY_NOON)
    for event in events:
        state, _commands = machine.step(state, event, MONDAY_NOON)
        assert state.ended or state.node is not None
        if state.ended:
            assert machine.step(state, event, MONDAY_NOON) == (state, [])
