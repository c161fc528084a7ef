"""Said values on a real call: a French amount played from recorded words.

The words are recorded beforehand (here by espeak-ng, as a studio would record them)
under prompts/fr/words/; the service plays them in order over RTP and synthesizes
nothing. The caller is a second engine in its own process and records what it hears.
"""

from __future__ import annotations

import wave
from collections.abc import Iterator
from pathlib import Path

import pytest

from dialplan.prompts.tts import Synthesizer
from tests.engine.support import PeerProcess, wav_rms
from tests.support.harness import Server, serving, wait_for

PLAN = """defaults language "fr"
set total = "42.50"
route 100 -> balance
flow balance {
  start:
    answer
    wait 2s
    say "{{ total | money('EUR') }}"
    wait 1s
    hangup
}
"""
WORDS = ("quarante", "deux", "euros", "et", "cinquante", "centimes")


def seconds(path: Path) -> float:
    with wave.open(str(path)) as audio:
        return audio.getnframes() / audio.getframerate()


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float]:
    """prompts/fr/words/*.wav for the amount, and their total length in seconds."""
    prompts = tmp_path_factory.mktemp("prompts")
    (prompts / "fr" / "words").mkdir(parents=True)
    synthesizer = Synthesizer()
    total = 0.0
    for word in WORDS:
        path = prompts / "fr" / "words" / f"{word}.wav"
        synthesizer.render(word, path, voice="fr")
        total += seconds(path)
    return prompts, total


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory,
           recorded: tuple[Path, float]) -> Iterator[Server]:
    workdir = tmp_path_factory.mktemp("say")
    (workdir / "plans").mkdir()
    (workdir / "plans" / "balance.dialplan").write_text(PLAN)
    with serving(workdir / "plans", workdir, prompts=recorded[0]) as running:
        yield running


def test_a_french_amount_is_heard_from_its_recorded_words(
        server: Server, recorded: tuple[Path, float], tmp_path: Path) -> None:
    caller = PeerProcess("caller")
    caller.start()
    try:
        session = caller.request("make_call", to=f"sip:100@127.0.0.1:{server.sip_port}")
        caller.request("wait_answer", session=session, timeout=10)
        heard = tmp_path / "heard.wav"
        caller.call("record", session, str(heard))
        caller.event("CallEnded", session_id=session, timeout=20)
        wait_for(heard.exists, 5)
    finally:
        caller.kill()
    rms, length = wav_rms(heard)
    words = recorded[1]
    # the recording starts during the leading two seconds of silence, so it holds every word;
    # a loaded machine's media clock may skip some silent frames, never a word's worth
    assert rms > 300 and words * 0.9 <= length <= words + 4.0, (rms, length, words)
    assert server.metric("dialplan_prompt_syntheses") == 0  # nothing was synthesized
