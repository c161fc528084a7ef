"""The balance example's scenarios over real SIP: `dialplan serve` on a copy of it, the
live driver calling it, and the scenarios' `http` lines served by a real local HTTP
server (aiohttp) where the copy's fetch URL points. The service's lookups, secrets and
allowed_urls are the real ones; the scenario that mocks a slow bank waits in real time.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dialplan.build import build_file
from dialplan.live.driver import LiveDriver
from dialplan.plan import Plan
from dialplan.scenarios.report import format_text_report
from dialplan.scenarios.suite import run_suite
from tests.engine.support import free_port_block
from tests.support.harness import ROOT, Server
from tests.support.uas import prewarm

pytestmark = [pytest.mark.sip, pytest.mark.timeout(120)]

EXAMPLES = ROOT / "examples/dialplans"
BANK = "http://127.0.0.1:8099"
# Scenarios the wire and trace can follow live (a call cannot be placed at a given time,
# and the caller's number is the caller engine's, so the hostile-number ones stay offline).
LIVE = ["the balance is looked up and said", "a wrong PIN is refused",
        "a slow bank is apologised for", "a bank that is down or answers nonsense is a failure"]


def _copy(folder: Path, port: int) -> Path:
    folder.mkdir()
    (folder / "balance.dialplan").write_text(
        (EXAMPLES / "balance.dialplan").read_text().replace(BANK, f"http://127.0.0.1:{port}"))
    blocks = (EXAMPLES / "balance.test").read_text().split("\nscenario ")
    chosen = "".join(f"\nscenario {b}" for b in blocks[1:] if b.split('"')[1] in LIVE)
    (folder / "balance.test").write_text(chosen.replace(BANK, f"http://127.0.0.1:{port}"))
    return folder / "balance.test"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    workdir = tmp_path_factory.mktemp("balance")
    port = free_port_block(1)
    tests = _copy(workdir / "plans", port)
    prewarm(workdir / "plans", workdir)
    server = Server(workdir / "plans", workdir,
                    settings=f'allowed_urls = ["http://127.0.0.1:{port}/v1/"]\n',
                    env={"BANK_TOKEN": "t0ken"})
    try:
        yield server, tests
    finally:
        server.stop()


def test_the_balance_scenarios_pass_over_real_sip_with_a_real_http_server(
        site: tuple[Server, Path]) -> None:
    server, tests = site

    def driver(plan: Plan) -> LiveDriver:
        return LiveDriver(plan, f"127.0.0.1:{server.sip_port}",
                          f"http://127.0.0.1:{server.admin_port}", server.tokens["operator"])

    assert build_file(str(tests.with_suffix(".dialplan"))).plan is not None
    suite = run_suite([str(tests)], driver, jobs=2)
    assert not suite.errors
    outcome = suite.outcome
    assert outcome.failed == 0, format_text_report(outcome, {}, detail=False)
    assert len(outcome.scenarios) == len(LIVE)
    said = [str(item) for item in outcome.scenarios[0].transcript]
    assert any(item.startswith("fetch POST") for item in said), said
    assert all(result.skipped == [] for result in outcome.scenarios)
