"""`dialplan simulate` prints what would be said, in words, and the language it is in."""

from __future__ import annotations

import datetime as dt
import io

from dialplan.build import build_text
from dialplan.sim import VirtualCall
from dialplan.sim.console import Console
from tests.support.harness import ROOT

BILINGUAL = (ROOT / "examples" / "dialplans" / "bilingual.dialplan").read_text()


def session(lines: list[str]) -> str:
    plan = build_text(BILINGUAL, "bilingual.dialplan").plan
    assert plan is not None

    def place(at: dt.datetime) -> VirtualCall:
        call = VirtualCall(plan, number="600", at=at)
        call.start()
        return call

    out = io.StringIO()
    Console(place, dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC), out).run(lines)
    return out.getvalue()


def test_the_simulator_prints_a_french_amount_in_words_and_its_language() -> None:
    printed = session(["2"])
    assert '  says "For English, press 1. Pour le français, appuyez sur 2." in en\n' in printed
    assert ('  says "Commande quatre sept un un : quarante-deux euros et cinquante centimes, '
            'livrée le vingt-quatre décembre deux mille vingt-six." in fr\n') in printed
