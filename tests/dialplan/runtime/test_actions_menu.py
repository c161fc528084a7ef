"""`menu` on real calls: wrong keys run the nomatch branch, whose `retry` plays the menu
again with the count kept; the third failure runs `exhausted` instead. SIPp presses
RFC 2833 digits 2.5 s apart, so each lands after the nomatch `say` (input during a
`say` is discarded) and within the menu's 3 s timeout. Both calls run at once.

    401  0, then 1      nomatch -> "Not an option." -> retry -> 1 -> chosen
    402  7, 8, 9        nomatch twice, then exhausted -> gave_up

(Keys go up: Debian's digit pcaps share one RTP stream, numbered 0-9, *, #; a key whose
packets number a little below the last one's is dropped as late by the receiver.)
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from tests.support.harness import Server
from tests.support.scenarios import press_spaced_then_server_hangs_up
from tests.support.uas import CallPath, Outcome, call_all, paths_by_called, warm_server

pytestmark = [
    pytest.mark.timeout(60),
    pytest.mark.skipif(shutil.which("sipp") is None, reason="sipp (sip-tester) not installed"),
]

Calls = tuple[dict[str, Outcome], dict[str, CallPath]]
PROMPT = "Press 1."
NOMATCH = "Not an option."
PLAN = """route 401, 402 -> main

flow main {
  start:
    answer
    menu "Press 1." timeout 3s attempts 3 {
      1 -> chosen
      nomatch -> say "Not an option."; retry
      exhausted -> goto gave_up
    }

  chosen:
    say "You chose one."
    hangup

  gave_up:
    hangup
}
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    workdir = tmp_path_factory.mktemp("menu")
    (workdir / "plans").mkdir()
    (workdir / "plans" / "menu.dialplan").write_text(PLAN)
    with warm_server(workdir / "plans", workdir) as running:
        yield running


@pytest.fixture(scope="module")
def calls(server: Server) -> Calls:
    outcomes = call_all(server.log.parent, {
        "wrong then right": (server, press_spaced_then_server_hangs_up("01", 1500, 2500), "401"),
        "wrong three times": (server, press_spaced_then_server_hangs_up("789", 1500, 2500), "402"),
    })
    return outcomes, paths_by_called(server, 2)


def test_a_wrong_key_runs_nomatch_then_the_retry_accepts_the_right_key(calls: Calls) -> None:
    outcomes, paths = calls
    assert outcomes["wrong then right"].code == 0, outcomes["wrong then right"].report()
    path = paths["401"]
    assert path.keys() == "01"
    assert path.states == ["main.start", "main.chosen"]
    said = path.said()
    # 0: nomatch's say, then the menu again (retry); 1: the chosen state
    assert said[said.index(NOMATCH):] == [NOMATCH, PROMPT, "You chose one."]


def test_the_third_wrong_key_exhausts_the_menu(calls: Calls) -> None:
    outcomes, paths = calls
    assert outcomes["wrong three times"].code == 0, outcomes["wrong three times"].report()
    path = paths["402"]
    assert path.keys() == "789"
    assert path.states == ["main.start", "main.gave_up"]
    said = path.said()
    assert said.count(NOMATCH) == 2  # attempts 3: the third failure is `exhausted`
    assert said[said.index(NOMATCH):] == [NOMATCH, PROMPT, NOMATCH, PROMPT]
    assert path.commands[-1]["type"] == "Hangup"
