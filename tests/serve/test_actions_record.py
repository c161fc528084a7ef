"""`record` on a real call: SIPp answers with PCMA, talks (sip-tester's g711a.pcap, a
speech-like recording) into `record msg max 10s` and hangs up after 3 s. The WAV the
service leaves under its recordings folder (`<workdir>/recordings`) is read back.
"""

from __future__ import annotations

import shutil
import wave
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.engine.support import wav_rms
from tests.serve.scenarios import speak_pcma_then_hang_up
from tests.serve.uas import CallPath, Outcome, call_all, paths_by_called, warm_server

pytestmark = [
    pytest.mark.timeout(60),
    pytest.mark.skipif(shutil.which("sipp") is None, reason="sipp (sip-tester) not installed"),
]

SPEECH = "/usr/share/sip-tester/g711a.pcap"
PLAN = """route 700 -> voicemail

flow voicemail {
  start:
    answer
    record msg max 10s
    say "Thank you."
    hangup
}
"""


@dataclass
class Results:
    outcome: Outcome
    path: CallPath
    recordings: list[Path] = field(default_factory=list)


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Results]:
    workdir = tmp_path_factory.mktemp("record")
    (workdir / "plans").mkdir()
    (workdir / "plans" / "record.dialplan").write_text(PLAN)
    with warm_server(workdir / "plans", workdir) as server:
        outcome = call_all(workdir, {
            "talks": (server, speak_pcma_then_hang_up(SPEECH, 3000), "700")})["talks"]
        path = paths_by_called(server, 1)["700"]
        # read while the service still runs: the WAV must be complete at hangup. The
        # service's beep lives in the folder too; a recording is named after
        # the call, the variable and a counter
        recordings = sorted((workdir / "recordings").glob(f"{path.call}-msg-*.wav"))
        yield Results(outcome, path, recordings)


def test_the_caller_hangs_up_while_recording(results: Results) -> None:
    assert results.outcome.code == 0, results.outcome.report()
    assert results.path.ended


def test_one_recording_is_left_and_it_is_a_valid_wav(results: Results) -> None:
    assert len(results.recordings) == 1
    with wave.open(str(results.recordings[0])) as audio:
        assert audio.getnchannels() == 1
        assert audio.getsampwidth() == 2
        assert audio.getnframes() > 0


def test_the_recording_lasts_about_as_long_as_the_caller_talked(results: Results) -> None:
    _, seconds = wav_rms(results.recordings[0])
    assert 2.0 <= seconds <= 5.0  # 3 s on the line after the answer, less the beep


def test_the_recording_holds_the_callers_voice(results: Results) -> None:
    loudness, _ = wav_rms(results.recordings[0])
    assert loudness > 300  # speech, not silence


def test_the_flow_is_told_which_recording_it_made(results: Results) -> None:
    finished = [i for i in results.path.inputs if i["type"] == "RecordingFinished"]
    assert len(finished) == 1
    assert Path(finished[0]["recording"]) == results.recordings[0]
    assert 2.0 <= finished[0]["seconds"] <= 5.0
