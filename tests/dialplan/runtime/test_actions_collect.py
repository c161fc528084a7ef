"""`collect` on real calls: SIPp dials one of four numbers of the same flow and presses
RFC 2833 digits (or nothing); the call log says how the collect ended and what the flow
did with the value. The four calls run at once against one service (its 4-call cap).

    301  1234#         the terminator ends the input; `if pin == "1234"` -> granted
    302  nothing       first-digit timeout (2 s) -> noinput branch
    303  5 6, silence  interdigit timeout (1.5 s) with the minimum reached -> value "56"
    304  5, silence    interdigit timeout below the minimum -> nomatch branch
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from tests.support.harness import Server
from tests.support.scenarios import press_spaced_then_server_hangs_up, silent_until_server_hangs_up
from tests.support.uas import CallPath, Outcome, call_all, paths_by_called, warm_server

pytestmark = [
    pytest.mark.timeout(60),
    pytest.mark.skipif(shutil.which("sipp") is None, reason="sipp (sip-tester) not installed"),
]

Calls = tuple[dict[str, Outcome], dict[str, CallPath]]
PROMPT = "Enter your pin."
PLAN = """route 301, 302, 303, 304 -> pin

flow pin {
  start:
    answer
    collect pin "Enter your pin." digits 2..6 until "#" timeout 2s interdigit 1500ms attempts 3 {
      noinput -> goto no_input
      nomatch -> goto too_short
    }
    if pin == "1234" {
      goto granted
    }
    say "You entered {{ pin }}."
    hangup

  granted:
    say "Access granted."
    hangup

  no_input:
    hangup

  too_short:
    hangup
}
"""


def said_after_prompt(path: CallPath) -> list[str]:
    # (the call log leaves out the commands of the call's start, the first prompt
    # among them: retries of the prompt would show, the first one may not)
    return [text for text in path.said() if text != PROMPT]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    workdir = tmp_path_factory.mktemp("collect")
    (workdir / "plans").mkdir()
    (workdir / "plans" / "collect.dialplan").write_text(PLAN)
    with warm_server(workdir / "plans", workdir) as running:
        yield running


@pytest.fixture(scope="module")
def calls(server: Server) -> Calls:
    digits = press_spaced_then_server_hangs_up
    outcomes = call_all(server.log.parent, {
        "terminator": (server, digits("1234#", 500, 300), "301"),
        "silent": (server, silent_until_server_hangs_up(), "302"),
        "two then silence": (server, digits("56", 500, 300), "303"),
        "one then silence": (server, digits("5", 500, 300), "304"),
    })
    return outcomes, paths_by_called(server, 4)


def test_the_terminator_ends_the_input_and_the_value_picks_the_branch(calls: Calls) -> None:
    outcomes, paths = calls
    assert outcomes["terminator"].code == 0, outcomes["terminator"].report()
    path = paths["301"]
    assert path.keys() == "1234#"
    assert path.fired_timers() == []  # no timer ended it: the `#` did
    assert path.states == ["pin.start", "pin.granted"]
    assert said_after_prompt(path) == ["Access granted."]
    assert path.commands[-1]["type"] == "Hangup"


def test_nothing_pressed_is_a_noinput_after_the_first_digit_timeout(calls: Calls) -> None:
    outcomes, paths = calls
    assert outcomes["silent"].code == 0, outcomes["silent"].report()
    assert outcomes["silent"].seconds >= 2.0
    path = paths["302"]
    assert path.keys() == ""
    assert path.fired_timers() == [2.0]
    assert path.states == ["pin.start", "pin.no_input"]


def test_the_interdigit_timeout_takes_the_digits_so_far_when_enough(calls: Calls) -> None:
    outcomes, paths = calls
    assert outcomes["two then silence"].code == 0, outcomes["two then silence"].report()
    path = paths["303"]
    assert path.keys() == "56"
    assert path.fired_timers() == [1.5]
    assert path.states == ["pin.start"]  # not granted: the value was used in the `if`
    assert said_after_prompt(path) == ["You entered 56."]


def test_the_interdigit_timeout_below_the_minimum_is_a_nomatch(calls: Calls) -> None:
    outcomes, paths = calls
    assert outcomes["one then silence"].code == 0, outcomes["one then silence"].report()
    path = paths["304"]
    assert path.keys() == "5"
    assert path.fired_timers() == [1.5]
    assert path.states == ["pin.start", "pin.too_short"]
    assert said_after_prompt(path) == []
