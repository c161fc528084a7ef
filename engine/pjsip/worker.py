"""The dedicated pjsua2 thread: work in through a queue, events out in batches.

Theory of operation: one Python thread creates the endpoint (so it is pjsua2's
"main thread"), then loops: run queued work, hand what it produced to the event
loop, then ``libHandleEvents``. The poll waits ``idle_poll_ms`` (1 s) when no call
exists, so an idle process wakes about once a second; with calls it waits
``busy_poll_ms`` (as long, by default: a silent call needs no wake-up), and never past
the conference bridge's next 20 ms tick while some call needs media, which this thread
runs too (``BridgeClock``), so a player's end is never held back. Work submitted
from asyncio is put on a ``queue.SimpleQueue`` and the poll is woken at once by a
4-byte UDP datagram to our own SIP port, which pjsip drops as too short to be SIP;
one datagram per loop turn is enough, so a wake already on its way is not sent again.
Only this thread ever touches pjsua2, so nothing else needs ``libRegisterThread``.
Why batches: every hop to the event loop costs a write to its self-pipe, a wake-up
of the loop's thread and a pass through its ready queue. The signals raised while
one poll (or one piece of work) ran and the results of the work done are collected
in one ``outbox`` and handed over in one ``deliver`` call per loop turn, in the
order they happened.
Shutdown follows the order from the notes: hang up, pump events ~0.5 s, free
media, drop Calls, shut accounts down, unregister the gate module (it lives in
Python memory), ``libDestroy``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pjsua2 as pj

from engine.pjsip.call_ops import hangup_all
from engine.pjsip.endpoint import StackConfig, active_ports, create_endpoint, local_port
from engine.pjsip.hub import Hub
from engine.signals import Signal
from engine.stack import StackError

LOG = logging.getLogger("engine.pjsip")
_STOP = object()
WAKE = b"\r\n\r\n"


@dataclass(frozen=True, slots=True)
class Reply:
    """How submitted work ended, for its waiter (only the event loop settles it)."""

    waiter: asyncio.Future[Any]
    value: Any = None
    error: BaseException | None = None


Outgoing = Signal | Reply
Work = Callable[[Hub], Any]


class Worker:
    """Runs one pjsua2 endpoint on its own thread."""

    def __init__(self, config: StackConfig, deliver: Callable[[list[Outgoing]], None]) -> None:
        self.config = config
        self._deliver = deliver  # called on this thread: it must hand the batch over
        self._outbox: list[Outgoing] = []  # this thread's only
        self._wake_sent = False  # a datagram is on its way since the turn began
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._ready = threading.Event()
        self._startup_error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="pjsua2", daemon=True)
        self._wake_sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sip_port = config.sip_port
        self.hub: Hub | None = None
        # conference-bridge slots in use as of the last hand-over: admission reads it
        # for every INVITE, so it is published rather than fetched by a round trip
        self.ports_in_use = 0

    def start(self, timeout: float = 10.0) -> None:
        """Start the thread and wait until the endpoint is up (or raise why not)."""
        self._thread.start()
        if not self._ready.wait(timeout):
            raise StackError(0, "pjsua2 endpoint did not start in time", "start")
        if self._startup_error is not None:
            raise self._startup_error

    def submit(self, fn: Work, waiter: asyncio.Future[Any]) -> None:
        """Run ``fn(hub)`` on the pjsua2 thread unless ``waiter`` is cancelled first; its
        result or error comes back as a ``Reply`` in a batch."""
        self._queue.put((fn, waiter))
        self._wake()

    def emit(self, signal: Signal) -> None:
        """Queue a signal for the next batch (pjsua2 thread only)."""
        self._outbox.append(signal)

    def post(self, fn: Callable[[], None]) -> None:
        """Queue fire-and-forget work (used from pjsua2 callbacks)."""
        self._queue.put((lambda _hub: fn(), None))
        self._wake()

    def stop(self, timeout: float = 15.0) -> None:
        """Ask the thread to shut the endpoint down and wait for it."""
        if self._thread.is_alive():
            self._queue.put(_STOP)
            self._wake()
            self._thread.join(timeout)
        self._wake_sock.close()

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def _wake(self) -> None:
        if self._wake_sent:
            return  # the poll returns for the one already sent, then drains the queue
        self._wake_sent = True
        address = self.config.bind_address
        target = "127.0.0.1" if address in ("0.0.0.0", "") else address
        with contextlib.suppress(OSError):  # the poll still returns within idle_poll_ms
            self._wake_sock.sendto(WAKE, (target, self.sip_port))

    def _run(self) -> None:
        try:
            ep, writer, transport_id = create_endpoint(self.config)
        except Exception as exc:
            self._startup_error = _detach(exc)  # no frames holding pjsua2 objects
            self._ready.set()
            return
        try:
            self.sip_port = local_port(ep, transport_id)
            self.hub = Hub(self.config, self.sip_port, transport_id, self.emit, self.post)
            self.ports_in_use = active_ports()
        except Exception as exc:
            self._startup_error = _detach(exc)  # no frames holding pjsua2 objects
            ep.libDestroy()  # on this thread: nothing pjsua2 may outlive it
            self._ready.set()
            return
        self._ready.set()
        try:
            self._loop(ep, self.hub)
        finally:
            self._shutdown(ep, self.hub)
            del writer

    def _loop(self, ep: pj.Endpoint, hub: Hub) -> None:
        while True:
            self._wake_sent = False  # before draining: a later submit must wake us again
            if not self._drain(hub):
                return
            self._flush()
            hub.graveyard.bury()
            busy = bool(hub.calls) or hub.clock.pending
            poll = self.config.busy_poll_ms if busy else self.config.idle_poll_ms
            ep.libHandleEvents(hub.clock.wait_ms(poll))
            hub.clock.tick(idle=not hub.calls)

    def _drain(self, hub: Hub) -> bool:
        while not self._queue.empty():  # the usual case, without raising queue.Empty
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return True
            if item is _STOP:
                return False
            fn, waiter = item
            reply = _run_item(fn, waiter, hub)
            if reply is not None:
                self._outbox.append(reply)
        return True

    def _flush(self) -> None:
        """Hand everything collected since the last flush to the event loop at once."""
        if self._outbox:
            batch, self._outbox = self._outbox, []
            self.ports_in_use = active_ports()
            self._deliver(batch)

    def _shutdown(self, ep: pj.Endpoint, hub: Hub) -> None:
        hangup_all(hub)
        deadline = time.monotonic() + 1.0
        while hub.calls and time.monotonic() < deadline:
            ep.libHandleEvents(hub.clock.wait_ms(50))
            hub.clock.tick(idle=False)
            self._flush()
        self._drain_after_stop(hub)
        hub.release_all()
        hub.graveyard.bury()
        hub.graveyard.clear()
        hub.accounts.shutdown()
        ep.libHandleEvents(50)
        hub.gate.close()
        self.hub = None
        del hub
        ep.libDestroy()
        self._flush()
        LOG.debug("pjsua2 endpoint destroyed")

    def _drain_after_stop(self, hub: Hub) -> None:
        """Fail work that arrived too late, so no awaiting coroutine hangs."""
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return
            if item is not _STOP and item[1] is not None:
                self._outbox.append(Reply(item[1], error=StackError(0, "engine stopped", "stop")))


def _run_item(fn: Work, waiter: asyncio.Future[Any] | None, hub: Hub) -> Reply | None:
    """Run one piece of work; its ``Reply`` (None for posted work, or when nobody waits)."""
    if waiter is not None and waiter.cancelled():  # a plain read: settled on the loop only
        return None
    try:
        result = fn(hub)
    except Exception as exc:
        error = _detach(exc)
        if waiter is None:
            LOG.warning("pjsua2 work failed: %s", error)
            return None
        return Reply(waiter, error=error)
    return None if waiter is None else Reply(waiter, result)


def _detach(exc: Exception) -> StackError:
    """An exception safe to hand to another thread.

    A traceback keeps its frames alive, and those frames hold pjsua2 objects
    (a Call, an AudioMedia) as locals; if such an object were freed on the
    event-loop thread or after ``libDestroy`` the process would abort. So only
    plain data crosses: pj.Error is copied, other errors are logged here and
    replaced, and our own errors lose their traceback and context.
    """
    if isinstance(exc, pj.Error):
        return StackError(exc.status, exc.reason, exc.title)
    if isinstance(exc, StackError):
        exc.__traceback__ = None
        exc.__context__ = exc.__cause__ = None
        return exc
    LOG.error("pjsua2 work raised %s: %s", type(exc).__name__, exc)
    return StackError(0, f"{type(exc).__name__}: {exc}", "internal")
