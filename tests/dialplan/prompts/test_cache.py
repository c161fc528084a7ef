"""Spoken prompts: real espeak-ng synthesis into a content-addressed cache shared by
processes."""

from __future__ import annotations

import array
import multiprocessing
import wave
from pathlib import Path

from dialplan.prompts.cache import PromptCache, SpokenPrompt


def audio(path: Path) -> tuple[float, float]:
    """(seconds, RMS level) of a 16-bit mono WAV."""
    with wave.open(str(path)) as w:
        samples = array.array("h", w.readframes(w.getnframes()))
        seconds = w.getnframes() / w.getframerate()
    rms = (sum(s * s for s in samples) / max(len(samples), 1)) ** 0.5
    return seconds, rms


def test_a_prompt_is_spoken_into_a_wav_with_sound_in_it(tmp_path: Path) -> None:
    path = PromptCache(tmp_path).get(SpokenPrompt("Welcome to the dialplan demo."))
    seconds, rms = audio(path)
    assert 1.0 < seconds < 4.0
    assert rms > 500


def test_the_second_request_is_served_from_the_cache_without_synthesis(tmp_path: Path) -> None:
    cache = PromptCache(tmp_path)
    first = cache.get(SpokenPrompt("Press 1 for sales."))
    second = cache.get(SpokenPrompt("Press 1 for sales."))
    assert first == second
    assert (cache.synthesizer.renders, cache.hits) == (1, 1)


def test_a_new_cache_object_finds_what_another_rendered(tmp_path: Path) -> None:
    PromptCache(tmp_path).get(SpokenPrompt("Goodbye."))
    other = PromptCache(tmp_path)
    other.get(SpokenPrompt("Goodbye."))
    assert other.synthesizer.renders == 0


def test_voice_and_rate_are_part_of_the_key(tmp_path: Path) -> None:
    cache = PromptCache(tmp_path)
    paths = {cache.path_for(SpokenPrompt("Hello", voice, rate))
             for voice, rate in [(None, None), ("de", None), (None, 120)]}
    assert len(paths) == 3


def test_korean_text_is_spoken_with_the_korean_voice(tmp_path: Path) -> None:
    cache = PromptCache(tmp_path)
    assert cache.synthesizer.has_voice("ko")
    seconds, rms = audio(cache.get(SpokenPrompt("영업부", voice="ko")))
    assert seconds > 0.3 and rms > 500


def _render(root: str) -> str:
    return str(PromptCache(Path(root)).get(SpokenPrompt("Many processes, one prompt.")))


def test_processes_rendering_the_same_prompt_at_once_leave_one_valid_file(
        tmp_path: Path) -> None:
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        paths = pool.map(_render, [str(tmp_path)] * 8)
    assert len(set(paths)) == 1
    assert audio(Path(paths[0]))[0] > 0.5
    assert not list(tmp_path.rglob("*.part"))
