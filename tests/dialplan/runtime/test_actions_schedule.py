"""`if during <schedule>` on real calls under an injected clock: three services run the
same plan with `dialplan serve --at ...` pinned to different instants, and one SIPp
call each (all at once) takes the branch the schedule decides.

    Tue 2026-12-22 09:30 Berlin   inside mon-fri 08:30-17:00        -> open
    Thu 2026-12-24 09:30 Berlin   office hours, but a holiday       -> closed
    Tue 2026-12-22 18:00 Berlin   after hours                       -> closed
"""

from __future__ import annotations

import contextlib
import shutil
import signal
from collections.abc import Iterator

import pytest

from tests.support.scenarios import silent_until_server_hangs_up
from tests.support.uas import CallPath, Outcome, call_all, paths_by_called, warm_server

pytestmark = [
    pytest.mark.timeout(60),
    pytest.mark.skipif(shutil.which("sipp") is None, reason="sipp (sip-tester) not installed"),
]

PLAN = """route 800 -> main

schedule office {
  timezone "Europe/Berlin"
  mon-fri 08:30-17:00
  holiday 2026-12-24..2026-12-26
}

flow main {
  start:
    answer
    say "Hello."
    if during office {
      goto open
    }
    goto closed

  open:
    say "Open. {{ weekday }} {{ date }}." rate 400
    hangup

  closed:
    say "Closed. {{ weekday }} {{ date }}." rate 400
    hangup
}
"""
INSTANTS = {
    "office hours": "2026-12-22 09:30 Europe/Berlin",
    "holiday": "2026-12-24 09:30 Europe/Berlin",
    "evening": "2026-12-22 18:00 Europe/Berlin",
}


Results = tuple[dict[str, Outcome], dict[str, CallPath]]


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Results]:
    workdir = tmp_path_factory.mktemp("schedule")
    (workdir / "plans").mkdir()
    (workdir / "plans" / "schedule.dialplan").write_text(PLAN)
    with contextlib.ExitStack() as stack:
        servers = {name: stack.enter_context(warm_server(workdir / "plans", workdir,
                                                         ["--at", instant]))
                   for name, instant in INSTANTS.items()}
        outcomes = call_all(workdir, {name: (server, silent_until_server_hangs_up(), "800")
                                      for name, server in servers.items()})
        paths = {name: paths_by_called(server, 1)["800"] for name, server in servers.items()}
        for server in servers.values():
            server.signal(signal.SIGTERM)  # all drain at once; the stack waits for each
        yield outcomes, paths


def test_inside_office_hours_the_open_branch_runs(results: Results) -> None:
    outcomes, paths = results
    assert outcomes["office hours"].code == 0, outcomes["office hours"].report()
    path = paths["office hours"]
    assert path.states == ["main.start", "main.open"]
    assert path.said() == ["Open. tue 2026-12-22."]


def test_on_a_holiday_the_closed_branch_runs(results: Results) -> None:
    outcomes, paths = results
    assert outcomes["holiday"].code == 0, outcomes["holiday"].report()
    path = paths["holiday"]
    assert path.states == ["main.start", "main.closed"]
    assert path.said() == ["Closed. thu 2026-12-24."]


def test_after_hours_the_closed_branch_runs(results: Results) -> None:
    outcomes, paths = results
    assert outcomes["evening"].code == 0, outcomes["evening"].report()
    path = paths["evening"]
    assert path.states == ["main.start", "main.closed"]
    assert path.said() == ["Closed. tue 2026-12-22."]
