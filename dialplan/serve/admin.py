"""The local admin endpoint: live calls, loaded plans, queues, Prometheus metrics.

Plain HTTP/1.0 on a loopback port (GET only), so no web framework is needed:
`/calls`, `/plans`, `/queues` answer JSON, `/metrics` the Prometheus text format,
`/trace?sip_call_id=...` (or `?tag=`) what one call did (see trace.py: live scenarios read it).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

from .trace import TRACES

if TYPE_CHECKING:
    from .service import DialplanService


def _calls(service: DialplanService) -> list[dict[str, object]]:
    return service.call_rows()


def _trace(query: str) -> tuple[str, str, str]:
    """`?sip_call_id=...`, or `?tag=...` (the caller's `x-dialplan-test` tag)."""
    asked = {key: values[0] for key, values in parse_qs(query).items()}
    trace = TRACES.get(asked.get("sip_call_id", ""), asked.get("tag", ""))
    if trace is None:
        return "404 Not Found", "application/json", json.dumps(
            {"error": f"no trace of the call {asked}"})
    return "200 OK", "application/json", json.dumps(trace.as_json(), default=str)


async def _body(service: DialplanService, target: str) -> tuple[str, str, str]:
    """(status, content type, body) for a GET of `target` (a path and its query)."""
    path, query = urlsplit(target).path, urlsplit(target).query
    if path == "/trace":
        return _trace(query)
    metrics = service.context.metrics
    metrics.gauges["calls_active"] = len(service.calls)
    metrics.gauges["prompt_syntheses"] = service.context.cache.synthesizer.renders
    metrics.gauges["prompt_cache_hits"] = service.context.cache.hits
    if path == "/metrics":
        return "200 OK", "text/plain; version=0.0.4", metrics.text()
    if path == "/queues":
        return "200 OK", "application/json", json.dumps(
            await service.context.queues.snapshot(), indent=1)
    pages = {
        "/calls": lambda: _calls(service),
        "/plans": lambda: service.plans.versions(),
        "/healthz": lambda: {"ok": True, "draining": service.draining},
    }
    if path not in pages:
        return "404 Not Found", "application/json", json.dumps({"error": "not found"})
    return "200 OK", "application/json", json.dumps(pages[path](), indent=1)


async def serve_admin(service: DialplanService, host: str, port: int) -> asyncio.Server:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(Exception):
            request = await asyncio.wait_for(reader.readline(), 5)
            parts = request.decode("latin-1").split()
            status, kind, body = ("400 Bad Request", "text/plain", "bad request\n")
            if len(parts) >= 2 and parts[0] == "GET":
                status, kind, body = await _body(service, parts[1])
            data = body.encode()
            writer.write(f"HTTP/1.0 {status}\r\nContent-Type: {kind}\r\n"
                         f"Content-Length: {len(data)}\r\n\r\n".encode() + data)
            await writer.drain()
        writer.close()

    return await asyncio.start_server(handle, host, port)
