"""L401 (missing prompt): reported at the name of the missing file, naming the folders
searched, which are found relative to the configuration or the plan, never to the
current directory."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from dialplan.cli.main import main

PLAN = """\
route 100 -> main
queue reception {
  agents "sip:a@127.0.0.1"
  max_wait 4m
  music "hold_music"
}
flow main {
  start:
    answer
    queue reception { noanswer -> hangup }
    hangup
}
"""


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    path = tmp_path / "clinic" / "plan.dialplan"
    (path.parent / "sub").mkdir(parents=True)
    path.write_text(PLAN)
    return path


@pytest.fixture
def inside(plan: Path) -> Iterator[Path]:
    """Run from the plan's `sub` folder, as `cd sub; dialplan lint ../plan.dialplan`."""
    before = Path.cwd()
    os.chdir(plan.parent / "sub")
    yield plan.parent / "sub"
    os.chdir(before)


def l401(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return [line for line in capsys.readouterr().out.splitlines() if " L401 " in line]


def test_a_missing_queue_music_is_reported_at_the_music_value_naming_the_folder(
        plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["lint", "--no-source", str(plan)])
    assert l401(capsys) == [
        f"{plan}:5:9: L401 prompt file `hold_music` not found; searched "
        f"`{plan.parent / 'prompts'}` and their language folders"]


def test_without_a_config_prompts_are_looked_up_beside_the_plan_from_any_directory(
        plan: Path, inside: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (inside / "prompts").mkdir()
    (inside / "prompts" / "hold_music.wav").write_bytes(b"RIFF")  # the wrong folder
    main(["lint", "--no-source", "../plan.dialplan"])
    assert len(l401(capsys)) == 1
    (plan.parent / "prompts" / "en").mkdir(parents=True)
    (plan.parent / "prompts" / "en" / "hold_music.wav").write_bytes(b"RIFF")
    main(["lint", "--no-source", "../plan.dialplan"])
    assert l401(capsys) == []


def test_a_config_names_prompt_folders_relative_to_itself(
        plan: Path, inside: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (plan.parent / "dialplan.toml").write_text('[lint]\nprompts = ["audio"]\n')
    (plan.parent / "audio").mkdir()
    (plan.parent / "audio" / "hold_music.wav").write_bytes(b"RIFF")
    main(["lint", "--no-source", "../plan.dialplan"])
    assert l401(capsys) == []
