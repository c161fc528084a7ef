"""Webhooks from real SIP calls (SIPp into `dialplan serve`), to a real receiver on
127.0.0.1: one service posts started, answered and ended for a call, signed, and counts
them on /metrics; a pool's workers each post their own calls' events, once."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from tests.support.harness import serving, sipp, wait_for
from tests.support.scenarios import silent_until_server_hangs_up
from tests.support.webhook_receiver import SECRET, Receiver, receiver_thread

PLAN = 'route 100 -> main\nflow main { start: answer; wait 1s; say "Bye."; hangup }\n'
ENV = {"DIALPLAN_TEST_HOOK_SECRET": SECRET}


def plans(workdir: Path) -> Path:
    folder = workdir / "plans"
    folder.mkdir()
    (folder / "main.dialplan").write_text(PLAN)
    return folder


def table(receiver: Receiver) -> str:
    return (f'[webhooks]\nurls = ["{receiver.url}"]\n'
            'secret_env = "DIALPLAN_TEST_HOOK_SECRET"\nbackoff = 0.1\n')


def test_a_real_call_posts_started_answered_and_ended(tmp_path: Path) -> None:
    with receiver_thread() as receiver, serving(plans(tmp_path), tmp_path,
                                                settings=table(receiver), env=ENV) as server:
        done = sipp(silent_until_server_hangs_up(), server, "100", tmp_path, timeout=20)
        assert done.returncode == 0, done.stderr
        wait_for(lambda: len(receiver.taken()) == 3, 10, lambda: str(receiver.got))
        delivered = server.metric("dialplan_webhooks_delivered_total")
    started, answered, ended = receiver.taken()
    assert [e["event"] for e in (started, answered, ended)] == ["started", "answered", "ended"]
    assert all(got.signed for got in receiver.got)
    assert started["call"]["sip_call_id"] and started["call"] == ended["call"]
    assert (ended["outcome"], ended["hung_up_by"], ended["path"]) == (
        "hangup", "flow", ["main.start"])
    assert 1.0 <= ended["duration"] < 10
    assert delivered == 3


def test_a_pools_workers_each_post_their_own_calls_once(tmp_path: Path) -> None:
    calls = 6
    with receiver_thread() as receiver:
        with serving(plans(tmp_path), tmp_path, extra=["--processes", "2"],
                     settings=table(receiver), env=ENV) as server:
            done = sipp(silent_until_server_hangs_up(), server, "100", tmp_path,
                        calls=calls, limit=calls, rate=20, timeout=30)
            assert done.returncode == 0, done.stderr
            wait_for(lambda: len(receiver.named("ended")) == calls, 15,
                     lambda: str(Counter(e["event"] for e in receiver.taken())))
        after_stop = len(receiver.got)  # the pool has stopped: nobody sends any more
    events = receiver.taken()
    assert len(receiver.got) == after_stop == 3 * calls
    assert len({e["id"] for e in events}) == 3 * calls  # no event twice
    by_call = Counter(e["call"]["id"] for e in events)
    assert len(by_call) == calls and set(by_call.values()) == {3}
    workers = {e["call"]["session"].rsplit(":", 1)[0] for e in events}
    assert len(workers) == 2, workers  # both processes took calls and posted them
