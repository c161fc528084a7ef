"""Said values on a call (in process, in_memory.py): a French amount played from the
recorded words of prompts/fr/ when all are there, else spoken; `play` in the call's
language."""

from __future__ import annotations

import asyncio
import wave
from pathlib import Path

import pytest

from tests.dialplan.runtime.in_memory import serving

pytestmark = pytest.mark.memory

AMOUNT = """defaults language "fr"
set balance = "42.50"
route 100 -> main
flow main { s: answer
  say "Votre solde est de {{ balance | money('EUR') }}."
  play "merci"
  hangup }
"""
WORDS = ("quarante", "deux", "euros", "et", "cinquante", "centimes")


def recording(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(8000)
        audio.writeframes(b"\0\0" * 800)
    return path


def run_call(tmp_path: Path, prompts: Path) -> tuple[list[str], list[str]]:
    """What was said (trace) and the files played, for one call of AMOUNT."""
    async def scenario() -> tuple[list[str], list[str]]:
        async with serving(tmp_path, AMOUNT, prompt_dirs=(prompts,)) as served:
            call = served.call("100")
            await served.ended(call)
            return served.said(call), served.wire.played(call)
    return asyncio.run(scenario())


def test_a_french_amount_plays_its_recorded_words_in_order(tmp_path: Path) -> None:
    prompts = tmp_path / "prompts"
    words = [recording(prompts / "fr" / "words" / f"{word}.wav") for word in WORDS]
    thanks = recording(prompts / "fr" / "merci.wav")
    recording(prompts / "en" / "merci.wav")
    said, played = run_call(tmp_path, prompts)
    assert said == ["Votre solde est de quarante-deux euros et cinquante centimes."]
    assert len(played) == 1 + len(WORDS) + 1
    assert played[1:] == [str(path) for path in [*words, thanks]]
    assert Path(played[0]).suffix == ".wav"  # "Votre solde est de" by text to speech


def test_one_missing_word_speaks_the_whole_amount(tmp_path: Path) -> None:
    prompts = tmp_path / "prompts"
    for word in WORDS[:-1]:
        recording(prompts / "fr" / "words" / f"{word}.wav")
    recording(prompts / "en" / "words" / "centimes.wav")  # another language's does not count
    recording(prompts / "merci.wav")
    said, played = run_call(tmp_path, prompts)
    assert said == ["Votre solde est de quarante-deux euros et cinquante centimes."]
    assert len(played) == 2 and "words" not in played[0]
