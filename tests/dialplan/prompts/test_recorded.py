"""Said values from recordings in the call's language, and the cache keyed on language."""

from __future__ import annotations

from pathlib import Path

from dialplan.prompts.cache import PromptCache, SpokenPrompt
from dialplan.prompts.recorded import pieces, recorded
from dialplan.wording.said import Said
from tests.dialplan.prompts.test_library import touch

FOUR_TWO = Said("vierzig zwei", ("words/vierzig", "digits/2"))


def test_a_value_recorded_whole_plays_its_files_and_the_rest_is_text(tmp_path: Path) -> None:
    forty, two = touch(tmp_path / "de" / "words/vierzig.wav"), touch(tmp_path / "de/digits/2.wav")
    parts = (Said("Es sind "), FOUR_TWO, Said("."))
    assert pieces(parts, "de", [tmp_path]) == ["Es sind ", forty, two]


def test_a_value_missing_one_recording_is_spoken_with_its_text(tmp_path: Path) -> None:
    touch(tmp_path / "de" / "words/vierzig.wav")
    parts = (Said("Es sind "), FOUR_TWO, Said("."))
    assert pieces(parts, "de", [tmp_path]) == ["Es sind vierzig zwei."]


def test_a_regional_language_uses_its_own_folder_then_the_base_language(tmp_path: Path) -> None:
    swiss = touch(tmp_path / "de-CH" / "words/vierzig.wav")
    german = touch(tmp_path / "de" / "digits/2.wav")
    assert recorded("words/vierzig", [tmp_path], "de-CH") == swiss
    assert recorded("digits/2", [tmp_path], "de-CH") == german
    assert recorded("digits/2", [tmp_path], "fr") is None


def test_a_recording_name_cannot_leave_the_language_folder(tmp_path: Path) -> None:
    touch(tmp_path / "secret.wav")
    assert recorded("../secret", [tmp_path / "prompts"], "de") is None
    assert recorded("words/x", [tmp_path], "../..") is None


def test_one_text_in_two_languages_is_two_cached_prompts(tmp_path: Path) -> None:
    cache = PromptCache(tmp_path)
    assert cache.path_for(SpokenPrompt("Taxi", language="de")) != \
        cache.path_for(SpokenPrompt("Taxi", language="fr"))
