"""Recordings are never overwritten: on real calls, services that count their calls from 1
again (a restart; the processes of a pool) record into one folder and every recording
stays. SIPp talks (sip-tester's g711a.pcap) into `record msg max 2s`; the service then
hangs up (a caller's BYE would need the proxy's route set in the pool)."""

from __future__ import annotations

import re
import shutil
import wave
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from dialplan.config import ServeConfig
from dialplan.runtime.recorder import recording_path
from tests.support.harness import serving, sipp, wait_for
from tests.support.scenarios import speak_pcma_then_server_hangs_up

pytestmark = [
    pytest.mark.timeout(90),
    pytest.mark.skipif(shutil.which("sipp") is None, reason="sipp (sip-tester) not installed"),
]

SPEECH = "/usr/share/sip-tester/g711a.pcap"
PLAN = "route 700 -> voicemail\nflow voicemail { start: answer; record msg max 2s; hangup }\n"
NAME = re.compile(r"^\d{8}T\d{6}Z-[A-Za-z0-9_-]+-(\d+)-in-1-msg-1-[0-9a-f]{8}\.wav$")


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "voicemail.dialplan").write_text(PLAN)
    return folder


def complete_wavs(folder: Path, count: int) -> list[Path]:
    """The WAVs in `folder`, once `count` of them are complete (the engine writes a
    WAV's header when the recording ends)."""
    def valid(path: Path) -> bool:
        try:
            with wave.open(str(path)) as audio:
                return audio.getnframes() > 0
        except (OSError, wave.Error, EOFError):
            return False

    wait_for(lambda: sum(valid(p) for p in folder.glob("*.wav")) >= count, timeout=15,
             explain=lambda: f"recordings: {sorted(p.name for p in folder.iterdir())}")
    return sorted(folder.glob("*.wav"))


def record_calls(server: Any, workdir: Path, calls: int) -> None:
    result = sipp(speak_pcma_then_server_hangs_up(SPEECH), server, "700", workdir,
                  calls=calls, limit=calls, rate=10, timeout=30)
    assert result.returncode == 0, str(result.stdout)[-1500:]


def test_a_restarted_service_keeps_the_recordings_of_its_earlier_run(
        plans: Path, tmp_path: Path) -> None:
    for run in range(2):  # each run's first call is its in-1, recording its msg 1
        with serving(plans, tmp_path) as server:
            record_calls(server, tmp_path, 1)
            complete_wavs(tmp_path / "recordings", run + 1)
    wavs = complete_wavs(tmp_path / "recordings", 2)
    assert len(wavs) == 2, wavs
    assert all(NAME.match(path.name) for path in wavs), wavs


def test_the_processes_of_a_pool_keep_each_others_recordings(
        plans: Path, tmp_path: Path) -> None:
    with serving(plans, tmp_path, extra=["--processes", "2"]) as server:
        record_calls(server, tmp_path, 2)  # at once: one in each process, both its in-1
        wavs = complete_wavs(tmp_path / "recordings", 2)
    assert len(wavs) == 2, wavs
    pids = {match.group(1) for match in map(NAME.match, (p.name for p in wavs)) if match}
    assert len(pids) == 2, wavs  # one recording from each process


def test_names_keep_to_the_folder_whatever_the_call_and_recording_are_called(
        tmp_path: Path) -> None:
    config = ServeConfig(recordings=tmp_path / "rec", node="../../pbx/a:5060")
    context: Any = SimpleNamespace(config=config)
    made = [recording_path(context, "../../etc/passwd", "../x\x00/y", 1) for _ in range(3)]
    assert len(set(made)) == 3  # the same call and name: still three files
    for path in made:
        assert path.parent == config.recordings and path.exists()
        assert re.fullmatch(r"[A-Za-z0-9_-]+\.wav", path.name), path.name
