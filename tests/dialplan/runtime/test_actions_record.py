"""`record` on real calls: SIPp answers with PCMA and talks (sip-tester's g711a.pcap, a
speech-like recording, 7 s) into a `record`; the WAVs the service leaves under its
recordings folder (`<workdir>/recordings`) are read back. Three calls at once:

    700  `record msg max 10s`; the caller hangs up after 3 s
    701  `record msg max 2s`; the caller talks on: the recording stops at 2 s and the
         flow goes on (a `say`, then the service hangs up)
    702  `record msg max 10s finish "#"`; the caller presses # after 2 s: the recording
         stops there and the flow goes on
"""

from __future__ import annotations

import shutil
import wave
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.engine.support import wav_rms
from tests.support.scenarios import speak_pcma_then_hang_up, speak_pcma_then_server_hangs_up
from tests.support.uas import CallPath, Outcome, call_all, paths_by_called, warm_server

pytestmark = [
    pytest.mark.timeout(60),
    pytest.mark.skipif(shutil.which("sipp") is None, reason="sipp (sip-tester) not installed"),
]

SPEECH = "/usr/share/sip-tester/g711a.pcap"
PLAN = """route 700 -> voicemail
route 701 -> short
route 702 -> until_hash

flow voicemail {
  start:
    answer
    record msg max 10s
    say "Thank you."
    hangup
}

flow short {
  start:
    answer
    record msg max 2s
    say "Time is up."
    hangup
}

flow until_hash {
  start:
    answer
    record msg max 10s finish "#"
    say "Got it."
    hangup
}
"""


@dataclass
class Results:
    outcomes: dict[str, Outcome]
    paths: dict[str, CallPath]
    recordings: dict[str, list[Path]] = field(default_factory=dict)  # number -> its WAVs
    folder: list[Path] = field(default_factory=list)  # everything in the folder
    log: str = ""  # the service's log


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Results]:
    workdir = tmp_path_factory.mktemp("record")
    (workdir / "plans").mkdir()
    (workdir / "plans" / "record.dialplan").write_text(PLAN)
    with warm_server(workdir / "plans", workdir) as server:
        outcomes = call_all(workdir, {
            "hangs up": (server, speak_pcma_then_hang_up(SPEECH, 3000), "700"),
            "talks on": (server, speak_pcma_then_server_hangs_up(SPEECH), "701"),
            "presses #": (server, speak_pcma_then_server_hangs_up(SPEECH, "#", 2000), "702"),
        })
        paths = paths_by_called(server, 3)
        # read while the service still runs: a WAV must be complete when its recording
        # ends. Each is named after (among others) the call, the variable and a counter.
        folder = workdir / "recordings"
        found = Results(outcomes, paths, folder=sorted(folder.iterdir()),
                        log=server.log_text())
        for number, path in paths.items():
            found.recordings[number] = sorted(folder.glob(f"*-{path.call}-msg-*.wav"))
        yield found


def seconds_and_loudness(path: Path) -> tuple[float, float]:
    loudness, seconds = wav_rms(path)
    return seconds, loudness


def test_every_caller_got_through_the_flow(results: Results) -> None:
    for name, outcome in results.outcomes.items():
        assert outcome.code == 0, f"{name}: {outcome.report()}"


def test_each_call_leaves_one_valid_wav_and_nothing_else_is_in_the_folder(
        results: Results) -> None:
    made = [wavs[0] for wavs in results.recordings.values() if len(wavs) == 1]
    assert len(made) == 3
    assert sorted(made) == results.folder  # no beep or other file among the recordings
    for path in made:
        with wave.open(str(path)) as audio:
            assert (audio.getnchannels(), audio.getsampwidth()) == (1, 2)
            assert audio.getnframes() > 0


def test_a_recording_the_caller_hangs_up_on_lasts_as_long_as_they_talked(
        results: Results) -> None:
    seconds, loudness = seconds_and_loudness(results.recordings["700"][0])
    assert 2.0 <= seconds <= 5.0  # 3 s on the line after the answer, less the beep
    assert loudness > 300  # the caller's voice, not silence


def test_after_the_caller_hangs_up_on_a_recording_nothing_is_tried_on_the_dead_call(
        results: Results) -> None:
    path = results.paths["700"]
    assert "<RecordingFinished>" in path.steps() and "Say" in path.steps()  # as planned
    assert f"no session {path.call}" not in results.log  # but not tried on the dead call


def test_max_stops_the_recording_and_the_flow_goes_on(results: Results) -> None:
    seconds, loudness = seconds_and_loudness(results.recordings["701"][0])
    assert 1.5 <= seconds <= 2.6
    assert loudness > 300
    path = results.paths["701"]
    assert path.steps()[:5] == ["short.start", "<TimerFired>", "StopRecording",
                                "<RecordingFinished>", "Say"]
    assert path.said() == ["Time is up."]
    assert path.commands[-1]["type"] == "Hangup"


def test_the_finish_key_stops_the_recording_and_the_flow_goes_on(results: Results) -> None:
    seconds, loudness = seconds_and_loudness(results.recordings["702"][0])
    assert 1.5 <= seconds <= 3.0  # # pressed 2 s after the answer
    assert loudness > 300
    path = results.paths["702"]
    assert path.keys() == "#"
    assert path.steps()[:6] == ["until_hash.start", "<Digit #>", "CancelTimer",
                                "StopRecording", "<RecordingFinished>", "Say"]
    assert path.said() == ["Got it."]


def test_the_flow_is_told_which_recording_it_made(results: Results) -> None:
    for number, path in results.paths.items():
        finished = [i for i in path.inputs if i["type"] == "RecordingFinished"]
        assert len(finished) == 1, number
        assert Path(finished[0]["recording"]) == results.recordings[number][0]
        seconds, _ = seconds_and_loudness(results.recordings[number][0])
        assert abs(finished[0]["seconds"] - seconds) < 0.1
