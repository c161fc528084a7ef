"""A Redis blip while an agent rings cannot keep that agent taken: on real calls, with a
real redis-server paused (CLIENT PAUSE) while the service rings the agent for a first
caller, the release of the agent is lost (the log says so); the claim was a lease, so it
runs out, and the agent is rung again for the next caller. It used to stay claimed in
Redis forever, never rung again."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import redis

from tests.support.harness import serving, sipp, wait_for
from tests.support.redis_server import running_redis
from tests.support.scenarios import silent_until_server_hangs_up
from tests.support.uas import agents, ring_until_cancelled

pytestmark = [
    pytest.mark.timeout(60),
    pytest.mark.skipif(shutil.which("sipp") is None, reason="sipp (sip-tester) not installed"),
]

PLAN = """route 700 -> first
route 701 -> next
queue help {{ agents "{agent}" max_wait 2s }}
queue later {{ agents "{agent}" max_wait 4s }}
flow first {{ s: answer; queue help {{ noanswer -> hangup }}; hangup }}
flow next {{ s: answer; queue later {{ noanswer -> hangup }}; hangup }}
"""
# Longer than the release's two tries (2 s timeout each) after max_wait: it is lost.
PAUSE_MS = 6500


def test_an_agent_ringing_during_a_redis_blip_is_rung_again_for_the_next_caller(
        tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    with running_redis(tmp_path / "redis") as url, redis.Redis.from_url(url) as admin, \
            agents(tmp_path, agent=(ring_until_cancelled(), 2)) as started:
        agent = started["agent"]
        (folder / "q.dialplan").write_text(PLAN.format(agent=agent.uri))
        settings = f'queue_store = "{url}"\nnode = "pbx-a"\nqueue_lease = 2\n'
        with serving(folder, tmp_path, settings=settings) as server:
            first = sipp(silent_until_server_hangs_up(), server, "700", tmp_path,
                         timeout=30, background=True)
            assert isinstance(first, subprocess.Popen)
            wait_for(lambda: bool(admin.hexists("dialplan:taken", agent.uri)))  # ringing
            admin.execute_command("CLIENT", "PAUSE", str(PAUSE_MS), "ALL")
            assert first.wait(timeout=20) == 0
            server.wait_for_log(f"queue agents ['{agent.uri}'] not released")
            following = sipp(silent_until_server_hangs_up(), server, "701", tmp_path,
                             timeout=30)
            assert following.returncode == 0, str(following.stdout)[-1500:]
            wait_for(lambda: agent.process.poll() is not None, timeout=5,
                     explain=lambda: "the agent was not rung for the next caller")
            assert agent.wait() == 0, agent.report()  # rung twice, cancelled twice
            assert admin.hlen("dialplan:taken") == 0
