"""A pjsip module in front of pjsua: one small, stateless reply to what no call wants.

Why: pjsua answers an INVITE beyond its compiled 4 calls with ``486 Busy Here``
before any callback runs, where a dispatcher needs ``503`` with ``Retry-After``
("try another worker"); it drops out-of-dialog requests nobody handles (FOO,
PUBLISH, REGISTER, INFO, NOTIFY, REFER) without any reply; and it accepts an
out-of-dialog SUBSCRIBE with 200 and a train of NOTIFYs, an amplifier for a
spoofed source. The gate sits at priority 63, after the dialog layer (32) and
just before pjsua's own modules (64), so it only sees requests that belong to no
dialog and no transaction, and answers them statelessly: no dialog, no
transaction, no NOTIFY, one datagram back.

What it answers (everything else goes on to pjsua):
- INVITE while pjsua has no free call slot: 503 + Retry-After;
- CANCEL, BYE, PRACK, UPDATE (they only exist inside a call): 481;
- other methods SIP defines (SUBSCRIBE, NOTIFY, REFER, INFO, MESSAGE, PUBLISH,
  REGISTER): 405 with ``Allow``;
- unknown methods: 501.
"""

from __future__ import annotations

import ctypes
import logging

from engine.pjsip.native import RX_CALLBACK, Module, Native, pj_str

LOG = logging.getLogger("engine.pjsip")
PRIORITY = 63  # PJSIP_MOD_PRIORITY_APPLICATION - 1
RETRY_AFTER_SECONDS = 5
ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS"
IN_CALL_ONLY = frozenset({"CANCEL", "BYE", "PRACK", "UPDATE"})
NOT_ALLOWED = frozenset({"SUBSCRIBE", "NOTIFY", "REFER", "INFO", "MESSAGE", "PUBLISH",
                         "REGISTER"})  # fmt: skip
PASS_ON = frozenset({"INVITE", "ACK", "OPTIONS"})
REASONS = {
    503: b"Service Unavailable",
    481: b"Call/Transaction Does Not Exist",
    405: b"Method Not Allowed",
    501: b"Not Implemented",
}


def answer_for(method: str, slots_free: bool) -> int:
    """The status the gate answers ``method`` with (0: let pjsua handle it)."""
    if method == "INVITE":
        return 0 if slots_free else 503
    if method in PASS_ON:
        return 0
    if method in IN_CALL_ONLY:
        return 481
    return 405 if method in NOT_ALLOWED else 501


class HeaderList:
    """A pjsip header list of one generic header (list head laid out as two pointers)."""

    def __init__(self, native: Native, pool: int, name: bytes, value: bytes) -> None:
        self._texts = (name, value)
        self._name, self._value = pj_str(name), pj_str(value)
        header = native.string_header(pool, ctypes.byref(self._name), ctypes.byref(self._value))
        if not header:
            raise MemoryError("pjsip_generic_string_hdr_create failed")
        self.head = (ctypes.c_void_p * 8)()  # a pjsip_hdr is 64 bytes; only prev/next matter
        self.head[0] = self.head[1] = header
        links = ctypes.cast(header, ctypes.POINTER(ctypes.c_void_p))
        links[0] = links[1] = ctypes.addressof(self.head)

    @property
    def address(self) -> int:
        return ctypes.addressof(self.head)


class Gate:
    """Registers the module on the running endpoint; ``close`` before ``libDestroy``."""

    def __init__(self, native: Native) -> None:
        self._native = native
        self._endpt = native.endpt()
        self._pool = native.create_pool(self._endpt, b"gate", 512, 512)
        if not self._pool:
            raise MemoryError("pjsip_endpt_create_pool failed")
        retry = str(RETRY_AFTER_SECONDS).encode()
        self._headers = {
            503: HeaderList(native, self._pool, b"Retry-After", retry),
            405: HeaderList(native, self._pool, b"Allow", ALLOW.encode()),
        }
        self._reasons = {code: pj_str(text) for code, text in REASONS.items()}
        self._callback = RX_CALLBACK(self._on_rx_request)
        self._name = b"mod-dialplan-gate"
        self.module = Module(name=pj_str(self._name), id=-1, priority=PRIORITY,
                             on_rx_request=self._callback)
        status = native.register_module(self._endpt, ctypes.byref(self.module))
        if status != 0:
            native.release_pool(self._pool)
            raise RuntimeError(f"pjsip_endpt_register_module failed: {status}")

    def close(self) -> None:
        """Unregister and free the pool (the endpoint must still exist)."""
        if self._pool:
            self._native.unregister_module(self._endpt, ctypes.byref(self.module))
            self._native.release_pool(self._pool)
            self._pool = None

    def _on_rx_request(self, rdata: int) -> int:
        try:
            info = (self._native.rx_info(rdata) or b"").decode("latin-1")
            method = info.split(" ")[2].split("/")[0] if info.count(" ") >= 2 else ""
            free = self._native.call_count() < self._native.call_max()
            status = answer_for(method, free)
            if not status:
                return 0
            headers = self._headers.get(status)
            self._native.respond_stateless(
                self._endpt, rdata, status, ctypes.byref(self._reasons[status]),
                headers.address if headers else None, None)
            LOG.debug("gate: %s answered %d", method[:20], status)
            return 1
        except Exception:  # never into C
            LOG.exception("gate failed on a request")
            return 0
