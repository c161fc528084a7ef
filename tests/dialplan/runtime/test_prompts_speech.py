"""Prompts and speech on real calls. The caller is a second engine in its own process:
it records what it hears, plays espeak-ng speech into the call, or presses a key.

- a templated `say` reaches the caller as audio, and the same text on the next call is
  served from the cache with no synthesis;
- a spoken menu takes the branch of the word the caller says; silence is a noinput;
- a digit during a long prompt stops it and counts as the choice (barge-in).
"""

from __future__ import annotations

import re
import time
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest

from dialplan.prompts.tts import Synthesizer
from tests.engine.support import PeerProcess, wav_rms
from tests.support.harness import Server, serving, wait_for
from tests.support.plans import call_paths

PLANS = {
    "say.dialplan": """route 100 -> greet
flow greet {
  start:
    answer
    say "Hello caller {{ caller }}, this prompt was spoken for the test."
    wait 1s
    hangup
}
""",
    "ask.dialplan": """route 200 -> ask
flow ask {
  start:
    answer
    menu "Say yes or no." timeout 4s attempts 2 {
      1, "네" -> yes
      2, "아니요" -> no
      noinput -> silent
      nomatch -> unmatched
      exhausted -> hangup
    }
  yes: hangup
  no: hangup
  silent: hangup
  unmatched: hangup
}
""",
    "long.dialplan": """route 300 -> long
flow long {
  start:
    answer
    menu "This is a long prompt. It goes on and on, listing every department \
we have, one by one, so nobody would wait for its end." timeout 5s {
      1 -> pressed
      exhausted -> hangup
    }
  pressed: hangup
}
""",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, speech_socket: Path) -> Iterator[Server]:
    workdir = tmp_path_factory.mktemp("voice")
    folder = workdir / "plans"
    folder.mkdir()
    for name, text in PLANS.items():
        (folder / name).write_text(text)
    with serving(folder, workdir, settings=f'speech_socket = "{speech_socket}"\n') as running:
        yield running


@pytest.fixture
def caller() -> Iterator[PeerProcess]:
    peer = PeerProcess("caller")
    peer.start()
    try:
        yield peer
    finally:
        peer.kill()


def dial(caller: PeerProcess, server: Server, number: str) -> str:
    session: str = caller.request("make_call", to=f"sip:{number}@127.0.0.1:{server.sip_port}")
    caller.request("wait_answer", session=session, timeout=10)
    return session


def korean(word: str, folder: Path) -> Path:
    path = folder / f"{len(list(folder.iterdir()))}.wav"
    Synthesizer().render(word, path, voice="ko")
    return path


def path_of_last_call(server: Server) -> list[str]:
    paths = call_paths(server.log_text())
    return paths[max(paths, key=lambda call: int(re.sub(r"\D", "", call) or 0))]


def wait_prompt_played(server: Server) -> None:
    """Until the last call's prompt has played to its end (the machine got PromptFinished)."""
    wait_for(lambda: "<PromptFinished>" in path_of_last_call(server), 15,
             lambda: str(path_of_last_call(server)))


def syntheses(server: Server) -> int:
    return int(server.metric("dialplan_prompt_syntheses"))


def test_a_templated_say_is_heard_and_then_served_from_the_cache(
        server: Server, caller: PeerProcess, tmp_path: Path) -> None:
    counts = []
    for attempt in range(2):
        session = dial(caller, server, "100")
        recording = tmp_path / f"heard-{attempt}.wav"
        caller.call("record", session, str(recording))
        caller.event("CallEnded", session_id=session, timeout=20)  # the flow hangs up
        wait_for(recording.exists, 5)
        rms, seconds = wav_rms(recording)
        assert seconds > 3.0 and rms > 300, (seconds, rms)  # ~3 s of speech, then 1 s wait
        with wave.open(str(recording)) as audio:
            assert audio.getframerate() in (8000, 16000)
        counts.append(syntheses(server))
    assert counts[1] == counts[0]  # the second call's text came from the cache
    assert server.metric("dialplan_say_cached_to_audio_seconds_count") == 1


def test_a_spoken_word_takes_its_menu_branch(server: Server, caller: PeerProcess,
                                             tmp_path: Path) -> None:
    session = dial(caller, server, "200")
    wait_prompt_played(server)  # "Say yes or no."
    caller.call("play", session, str(korean("네", tmp_path)))
    caller.event("CallEnded", session_id=session, timeout=20)
    path = path_of_last_call(server)
    assert "<SpeechResult>" in path and "ask.yes" in path and "Hangup" in path, path


def test_a_silent_caller_gets_noinput(server: Server, caller: PeerProcess) -> None:
    session = dial(caller, server, "200")
    caller.event("CallEnded", session_id=session, timeout=20)
    path = path_of_last_call(server)
    assert "<TimerFired>" in path and "ask.silent" in path and "Hangup" in path, path


def test_a_digit_during_a_long_prompt_stops_it_and_counts(server: Server,
                                                          caller: PeerProcess) -> None:
    session = dial(caller, server, "300")
    time.sleep(1.5)  # the behaviour: a key pressed well inside the prompt (about 8 s)
    started = time.monotonic()
    caller.call("send_dtmf", session, "1")
    caller.event("CallEnded", session_id=session, timeout=20)
    assert time.monotonic() - started < 3
    path = path_of_last_call(server)
    digit = path.index("<Digit>")
    assert path[digit + 1] == "StopPrompt" and "long.pressed" in path[digit:], path


def test_speech_outside_the_grammar_is_a_nomatch(server: Server, caller: PeerProcess,
                                                  tmp_path: Path) -> None:
    # The small Korean model has no [unk] word: what it hears is forced onto the grammar.
    # A phrase like "hello" comes back as several grammar words, which match no option.
    session = dial(caller, server, "200")
    wait_prompt_played(server)
    caller.call("play", session, str(korean("안녕하세요", tmp_path)))
    caller.event("CallEnded", session_id=session, timeout=20)
    path = path_of_last_call(server)
    assert "<SpeechResult>" in path and "ask.unmatched" in path, path
