"""Benchmark: prompts and speech.

    .venv/bin/python bench/speech_prompts.py [--calls 20] [--utterances 10]

1. Time to first audio of a `say` on real calls (SIPp callers into `dialplan serve`):
   from the machine's Say command to the engine playing the WAV, for a fixed text
   (rendered at load, so cached) and a per-call text (synthesized on the call).
2. Recognition latency: espeak-ng Korean words streamed to the speech service in real
   time (20 ms frames); time from the end of the spoken audio to the result (this
   includes vosk's end-of-speech silence window), and from the last frame sent.
3. Memory (RSS) of the speech service with the model loaded.
"""

from __future__ import annotations

import argparse
import array
import asyncio
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
import wave
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dialplan.prompts.tts import Synthesizer
from dialplan.speech.client import SpeechSession
from dialplan.speech.model import bundled_korean_model
from tests.support.harness import serving, sipp
from tests.support.scenarios import silent_until_server_hangs_up

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import audioop

PLAN = """route 100 -> bench
flow bench {
  start:
    answer
    say "This fixed sentence was rendered when the plan was loaded."
    say "This sentence is made for call {{ call_id }} at {{ hour }} {{ minute }}."
    hangup
}
"""


# A phone line is never digitally silent; vosk's end-of-speech rule wants real quiet.
LINE_NOISE = array.array("h", (random.Random(7).randint(-40, 40) for _ in range(12000))).tobytes()


def histogram_mean(metrics: str, name: str) -> tuple[float, int]:
    total = re.search(rf"^dialplan_{name}_sum (\S+)$", metrics, re.MULTILINE)
    count = re.search(rf"^dialplan_{name}_count (\S+)$", metrics, re.MULTILINE)
    if not total or not count:
        return 0.0, 0
    return float(total.group(1)) / float(count.group(1)), int(float(count.group(1)))


def first_audio(calls: int, workdir: Path) -> None:
    folder = workdir / "plans"
    folder.mkdir()
    (folder / "bench.dialplan").write_text(PLAN)
    with serving(folder, workdir) as server:
        sipp(silent_until_server_hangs_up(), server, "100", workdir, calls=calls, limit=4,
             rate=4, timeout=120)
        metrics = str(server.admin("/metrics"))
    for kind in ("say_cached_to_audio_seconds", "say_synthesized_to_audio_seconds"):
        mean, count = histogram_mean(metrics, kind)
        print(f"time to first audio, {kind.split('_')[1]:>11}: mean {mean * 1000:6.1f} ms "
              f"over {count} says")


def spoken(word: str, folder: Path) -> bytes:
    path = folder / "word.wav"
    Synthesizer().render(word, path, voice="ko")
    with wave.open(str(path)) as audio:
        pcm, rate = audio.readframes(audio.getnframes()), audio.getframerate()
    return audioop.ratecv(pcm, 2, 1, rate, 8000, None)[0]


async def one_utterance(socket: Path, speech: bytes) -> tuple[float, float, str]:
    """(result after end of speech, result after the last frame sent, text heard)."""
    session = await SpeechSession.open(socket, ["네", "아니요"])
    audio = speech + LINE_NOISE  # 1.5 s of a quiet line after the word
    result: list[tuple[float, str]] = []

    async def listen() -> None:
        async for event in session.events():
            if event.kind == "result":
                result.append((time.monotonic(), event.text))

    listener = asyncio.create_task(listen())
    end_of_speech = last_frame = 0.0
    start = time.monotonic()
    for i in range(0, len(audio), 320):  # paced like a call: one 20 ms frame per 20 ms
        if session.over:
            break
        session.feed(audio[i:i + 320])
        last_frame = time.monotonic()
        if i + 320 >= len(speech) and not end_of_speech:
            end_of_speech = last_frame
        await asyncio.sleep(max(0.0, start + (i + 320) / 16000 - time.monotonic()))
    await session.finish()
    await asyncio.wait_for(listener, 10)
    await session.close()
    done, text = result[0]
    return done - end_of_speech, done - last_frame, text


def rss_mib(pid: int) -> float:
    match = re.search(r"VmRSS:\s+(\d+)", Path(f"/proc/{pid}/status").read_text())
    return int(match.group(1)) / 1024 if match else 0.0


def recognition(utterances: int, workdir: Path) -> None:
    socket = workdir / "speech.sock"
    process = subprocess.Popen([sys.executable, "-m", "dialplan", "speech", "serve", "--model",
                                str(bundled_korean_model()), "--socket", str(socket)],
                               stderr=subprocess.DEVNULL)
    try:
        while not socket.exists():
            time.sleep(0.05)
        print(f"speech service RSS with the model loaded: {rss_mib(process.pid):.0f} MiB")
        words = {w: spoken(w, workdir) for w in ("네", "아니요")}
        runs = [asyncio.run(one_utterance(socket, words[w]))
                for _ in range(utterances) for w in words]
        after_speech = [r[0] for r in runs]
        print(f"recognition: result {statistics.median(after_speech) * 1000:.0f} ms (median) "
              f"after the end of speech, {statistics.median(r[1] for r in runs) * 1000:.0f} ms "
              f"after the last frame; {sum(r[2] in words for r in runs)}/{len(runs)} correct")
        print(f"speech service RSS after {len(runs)} utterances: {rss_mib(process.pid):.0f} MiB")
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--utterances", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        first_audio(args.calls, Path(folder))
    with tempfile.TemporaryDirectory() as folder:
        recognition(args.utterances, Path(folder))


if __name__ == "__main__":
    main()
