"""One speech service for a whole pool: two callers, both up at once, each in its own
engine process, speak, and both are recognized by the host's one speech service (its model
loaded once, not per process)."""

from __future__ import annotations

from pathlib import Path

from tests.dialplan.pool.test_pool import calls_per_worker
from tests.dialplan.runtime.test_prompts_speech import PLANS, korean
from tests.engine.support import PeerProcess
from tests.support.harness import serving, wait_for


def test_callers_in_two_processes_share_the_hosts_speech_service(
        tmp_path: Path, speech_socket: Path) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "ask.dialplan").write_text(PLANS["ask.dialplan"])
    word = korean("네", tmp_path)
    with serving(folder, tmp_path, extra=["--processes", "2"],
                 settings=f'speech_socket = "{speech_socket}"\n') as server:
        caller = PeerProcess("caller")
        caller.start()
        try:
            sessions = []
            for _ in range(2):
                session = caller.request("make_call",
                                         to=f"sip:200@127.0.0.1:{server.sip_port}")
                caller.request("wait_answer", session=session, timeout=10)
                sessions.append(session)
            wait_for(lambda: server.log_text().count('"type": "PromptFinished"') >= 2, 15,
                     server.log_text)  # "Say yes or no." has played on both
            for session in sessions:  # both calls are up while each speaks
                caller.call("play", session, str(word))
            for session in sessions:
                caller.event("CallEnded", session_id=session, timeout=20)
        finally:
            caller.kill()
        assert calls_per_worker(server, 2) == [1, 1]
        log = server.log_text()  # each process numbers its calls from in-1: count them
        assert log.count('"type": "SpeechResult", "text": "네"') == 2
        assert log.count('"state": "ask.yes"') == 2
