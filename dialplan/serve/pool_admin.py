"""The pool's admin endpoint: one place that covers every worker.

`/workers` lists slots, pids, live calls and restarts; `/calls` merges every worker's
live calls; `/queues` is the pool's one queue book; `/trace?...` asks each worker for a
call's trace;
`/plans` shows each worker's plan versions; `/metrics` concatenates every worker's
Prometheus text with a `worker` label, plus the supervisor's own counters. `POST
/restart` starts a rolling restart (as SIGUSR2 does). It runs
in a thread of the supervisor (which has no event loop) and asks the workers over
their own loopback admin ports.
"""

from __future__ import annotations

import json
import re
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .pool import Pool

_SAMPLE = re.compile(r"^(dialplan_\w+)(\{[^}]*\})? (\S+)$")


def relabel(text: str, worker: int) -> list[str]:
    """A worker's metric samples with `worker="N"` added to their labels."""
    lines = []
    for line in text.splitlines():
        match = _SAMPLE.match(line)
        if match is None:
            continue
        name, labels, value = match.groups()
        inner = f'worker="{worker}"' + (f",{labels[1:-1]}" if labels else "")
        lines.append(f"{name}{{{inner}}} {value}")
    return lines


def _fetch(port: int, path: str) -> str:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as reply:
            return str(reply.read().decode())
    except OSError:
        return ""  # a worker that is restarting: left out of this answer


def page(pool: Pool, target: str) -> tuple[int, str, str]:
    ports = [(w.slot, w.config.admin_port) for w in pool.workers]
    path = target.split("?")[0]
    if path == "/trace":  # a call's trace lives in the worker that ran it: ask each
        for _, port in ports:
            found = _fetch(port, target)
            if found and '"error"' not in found[:40]:
                return 200, "application/json", found
        return 404, "application/json", json.dumps({"error": "no such call"})
    if path == "/proxy":
        return 200, "application/json", json.dumps(pool.proxy_health())
    if path == "/workers":
        listed = [w.describe(pool.board) for w in pool.workers]
        return 200, "application/json", json.dumps(listed)
    if path == "/queues":  # the book is shared: any worker that answers shows all of it
        for _, port in ports:
            found = _fetch(port, "/queues")
            if found:
                return 200, "application/json", found
        return 503, "application/json", json.dumps({"error": "no worker answered"})
    if path == "/calls":
        calls = [dict(call, worker=slot) for slot, port in ports
                 for call in json.loads(_fetch(port, "/calls") or "[]")]
        return 200, "application/json", json.dumps(calls, indent=1)
    if path == "/plans":
        plans = {slot: json.loads(_fetch(port, "/plans") or "{}") for slot, port in ports}
        return 200, "application/json", json.dumps(plans, indent=1)
    if path == "/metrics":
        lines = [f"dialplan_pool_restarts_total {sum(w.restarts for w in pool.workers)}",
                 f"dialplan_pool_lost_calls_total {pool.lost_calls}",
                 f"dialplan_pool_hung_kills_total {pool.hung_kills}",
                 f"dialplan_pool_recycles_total {sum(w.recycled for w in pool.workers)}",
                 f"dialplan_pool_workers {len(pool.workers)}"]
        proxy = pool.proxy_health()
        if proxy["managed"]:
            lines += [f"dialplan_pool_proxy_up {int(bool(proxy['up']))}",
                      f"dialplan_pool_proxy_restarts_total {proxy['restarts']}"]
        for slot, port in ports:
            lines += relabel(_fetch(port, "/metrics"), slot)
        return 200, "text/plain; version=0.0.4", "\n".join(lines) + "\n"
    return 404, "application/json", json.dumps({"error": "not found"})


def serve_pool_admin(pool: Pool, port: int) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, kind, body = page(pool, self.path)
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            if self.path != "/restart":
                self.send_error(404)
                return
            pool.request_restart()
            data = json.dumps({"restarting": len(pool.workers)}).encode()
            self.send_response(202)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass  # requests are not news

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
