"""The runnable examples, each exercised against real SIP peers."""

from __future__ import annotations

import asyncio
import json

import pytest

from tests.engine.support import ExampleProcess, write_tone

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def examples():
    started: list[ExampleProcess] = []

    def start(
        script: str, *args: str, wait_listening: bool = True, media_ports: int = 40
    ) -> ExampleProcess:
        proc = ExampleProcess(script, *args, wait_listening=wait_listening,
                              media_ports=media_ports)  # fmt: skip
        started.append(proc)
        return proc

    yield start
    for proc in started:
        proc.stop()
        proc.kill()


def test_p2p_call_sends_digits_to_the_sip_server(examples):
    server = examples("sip_server.py")
    target = f"sip:demo@127.0.0.1:{server.port}"
    caller = examples("p2p_call.py", target, "--dtmf", "42", "--seconds", "1",
                      wait_listening=False)  # fmt: skip
    assert caller.wait() == 0
    assert caller.count("answered") == 1
    assert caller.count("ended") == 1
    server.wait_for("dtmf", 2)
    assert [p[2] for p in server.lines if p[0] == "dtmf"] == ["4", "2"]


def test_p2p_call_reports_a_typed_failure(spawn_peer, examples):
    busy = spawn_peer("busy", handler="reject:486")
    caller = examples("p2p_call.py", busy.uri, wait_listening=False)
    assert caller.wait() == 1
    assert caller.first("failed") == ["failed", "CallBusy", "486", "Rejected", "By", "Test"]


def test_outbound_caller_reports_confirmed_and_failed_targets(spawn_peer, examples, tmp_path):
    yes = spawn_peer("yes")
    no = spawn_peer("no", handler="reject:603")
    message = write_tone(tmp_path / "msg.wav", seconds=1.0)
    caller = examples("outbound_caller.py", yes.uri, no.uri, "--message", str(message),
                      "--confirm-timeout", "8", wait_listening=False)  # fmt: skip
    sid = yes.event("CallStateChanged", new_state="active")["session_id"]
    yes.call("send_dtmf", sid, "1")
    assert caller.wait() == 0
    results = {p[1]: " ".join(p[2:]) for p in caller.lines if p[0] == "result"}
    assert results == {yes.uri: "confirmed", no.uri: "failed CallDeclined 603"}


def test_call_centre_queue_bridges_a_caller_to_an_agent(spawn_peer, examples, tmp_path):
    agent = spawn_peer("agent")
    caller = spawn_peer("caller")
    music = write_tone(tmp_path / "music.wav", 300.0, seconds=1.0)
    centre = examples("call_centre_queue.py", "--agents", agent.uri, "--music", str(music))
    c_id = caller.request("make_call", to=f"sip:queue@127.0.0.1:{centre.port}")
    caller.request("wait_answer", session=c_id)
    centre.wait_for("connected")
    a_id = agent.event("IncomingCallReceived")["session_id"]
    caller.call("play", c_id, str(write_tone(tmp_path / "voice.wav", seconds=3.0)))
    assert agent.request("listen", session=a_id, seconds=0.8, settle=0.2)["rms"] > 1000
    caller.call("terminate", c_id)
    agent.event("CallEnded", session_id=a_id)
    centre.wait_for("finished")
    assert centre.stop() == 0


def test_websocket_bridge_makes_and_hangs_up_a_call(examples):
    from websockets.asyncio.client import connect

    from tests.engine.support import free_port_block

    server = examples("sip_server.py")
    ws_port = free_port_block(1)
    bridge = examples("websocket_bridge.py", "--ws-port", str(ws_port))

    async def session() -> list[str]:
        async with connect(f"ws://127.0.0.1:{ws_port}") as ws:
            await ws.send(json.dumps({"cmd": "make_call", "ref": 1,
                                      "to": f"sip:ws@127.0.0.1:{server.port}"}))  # fmt: skip
            seen: list[str] = []
            call_id = None
            async with asyncio.timeout(15):
                async for raw in ws:
                    msg = json.loads(raw)
                    if msg.get("ref") == 1:
                        assert msg["ok"], msg
                        call_id = msg["call_id"]
                    elif msg.get("event"):
                        seen.append(f"{msg['event']}:{msg.get('new_state', '')}")
                        if msg.get("new_state") == "active":
                            await ws.send(json.dumps({"cmd": "hangup", "call_id": call_id}))
                        if msg["event"] == "CallEnded":
                            return seen
            return seen

    seen = asyncio.run(session())
    assert "CallStateChanged:active" in seen and seen[-1] == "CallEnded:"
    assert bridge.stop() == 0


def test_worker_pool_serves_calls_on_each_worker_and_stops_cleanly(spawn_peer, examples):
    from tests.engine.support import free_port_block

    base = free_port_block(2)  # worker i listens on base + i (the last --port wins)
    pool = examples(
        "worker_pool.py", "--workers", "2", "--port", str(base),
        wait_listening=False, media_ports=200,
    )  # fmt: skip
    pool.wait_for("worker", 2)
    caller = spawn_peer("caller")
    for port in (base, base + 1):
        sid = caller.request("make_call", to=f"sip:pool@127.0.0.1:{port}")
        caller.request("wait_answer", session=sid)
        caller.call("terminate", sid)
    assert pool.stop() == 0
    assert pool.count("exited") == 2
    assert all(parts[3] == "0" for parts in pool.lines if parts[0] == "exited")
