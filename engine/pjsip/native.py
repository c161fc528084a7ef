"""The few pjsip C functions pjsua2 does not wrap, bound with ctypes: the one place.

Why: pjsua2 cannot register a pjsip module (needed to answer requests pjsua would
drop or answer wrongly, see ``gate.py``), cannot end an INVITE transaction that
never got a response (pjsip then waits for Timer B, 32 s, before it frees the call
slot, see ``call_ops.hangup``) and does not expose the conference bridge's master
port (see :class:`MasterPort`). The wheel links pjsip statically and exports its
symbols, so ctypes reaches them in the very library pjsua2 runs on: one loader,
one table of signatures. Only stable, documented entry points are used; the
structs we lay out are ``pjsip_module`` (unchanged since pjsip 1.x),
``pjmedia_frame`` and ``pj_str_t``.
"""

from __future__ import annotations

import ctypes
from ctypes import CFUNCTYPE, POINTER, Structure, c_char_p, c_int, c_size_t, c_ssize_t, c_uint
from ctypes import c_void_p as ptr
from typing import Any

import pjsua2._pjsua2 as _raw

from engine.stack import StackError

FRAME_TYPE_AUDIO = 1  # PJMEDIA_FRAME_TYPE_AUDIO


class PjStr(Structure):
    """pj_str_t: a pointer and a length (not NUL-terminated)."""

    _fields_ = [("ptr", c_char_p), ("slen", c_ssize_t)]


def pj_str(text: bytes) -> PjStr:
    """A pj_str_t over ``text``; the caller keeps ``text`` alive as long as it is used."""
    return PjStr(text, len(text))


RX_CALLBACK = CFUNCTYPE(c_int, ptr)


class Module(Structure):
    """struct pjsip_module (pjsip/sip_module.h)."""

    _fields_ = [
        ("prev", ptr), ("next", ptr), ("name", PjStr), ("id", c_int), ("priority", c_int),
        ("load", ptr), ("start", ptr), ("stop", ptr), ("unload", ptr),
        ("on_rx_request", RX_CALLBACK), ("on_rx_response", ptr),
        ("on_tx_request", ptr), ("on_tx_response", ptr), ("on_tsx_state", ptr),
    ]  # fmt: skip


class Frame(Structure):
    """``pjmedia_frame`` (pjmedia/frame.h): type, buf, size, timestamp, bit_info."""

    _fields_ = [
        ("type", c_int),
        ("buf", ptr),
        ("size", c_size_t),
        ("timestamp", ctypes.c_uint64),
        ("bit_info", ctypes.c_uint32),
    ]


class Native:
    """Typed handles on the exported functions (one per endpoint, pjsua2 thread only)."""

    def __init__(self) -> None:
        lib = ctypes.CDLL(_raw.__file__)
        self.endpt = _fn(lib.pjsua_get_pjsip_endpt, ptr)
        self.register_module = _fn(lib.pjsip_endpt_register_module, c_int, ptr, POINTER(Module))
        self.unregister_module = _fn(
            lib.pjsip_endpt_unregister_module, c_int, ptr, POINTER(Module)
        )
        self.respond_stateless = _fn(
            lib.pjsip_endpt_respond_stateless, c_int, ptr, ptr, c_int, POINTER(PjStr), ptr, ptr
        )
        self.rx_info = _fn(lib.pjsip_rx_data_get_info, c_char_p, ptr)
        self.call_count = _fn(lib.pjsua_call_get_count, c_uint)
        self.call_max = _fn(lib.pjsua_call_get_max_count, c_uint)
        self.create_pool = _fn(lib.pjsip_endpt_create_pool, ptr, ptr, c_char_p, c_size_t, c_size_t)
        self.release_pool = _fn(lib.pj_pool_release, None, ptr)
        self.string_header = _fn(
            lib.pjsip_generic_string_hdr_create, ptr, ptr, POINTER(PjStr), POINTER(PjStr)
        )
        self.tsx_terminate = _fn(lib.pjsip_tsx_terminate, c_int, ptr, c_int)
        self.no_snd_dev = _fn(lib.pjsua_set_no_snd_dev, ptr)
        self.port_get_frame = _fn(lib.pjmedia_port_get_frame, c_int, ptr, POINTER(Frame))


def _fn(fn: Any, restype: type | None, *argtypes: type) -> Any:
    fn.restype = restype
    fn.argtypes = list(argtypes)
    return fn


class MasterPort:
    """The bridge's port 0; ``tick`` runs one frame of the whole bridge.

    Why not pjsua2's null sound device: that device ticks the bridge on a thread of
    its own, and in pjproject 2.15.1 (the wheel's) a tick can be inside a call's RTP
    send, past the transport's "started" check, while the pjsua2 thread tears that
    call's media down and clears the transport's socket key: ``pj_ioqueue_sendto``
    then asserts on the NULL key and the process aborts (fixed upstream after
    2.15.1, pjproject #5016). The bridge's clock is only someone calling
    ``get_frame`` on its master port every frame, so the pjsua2 thread does it
    itself (``clock.py``): a tick and a teardown can no longer overlap.

    Create it on the pjsua2 thread after ``libStart``: ``pjsua_set_no_snd_dev``
    switches pjsua to "no sound device" (idempotent; it is what
    ``AudDevManager.setNoDev`` calls) and returns the port. ``samples`` is the
    bridge's frame: clock rate x ptime, mono, 16-bit.
    """

    def __init__(self, native: Native, samples: int) -> None:
        self._get_frame = native.port_get_frame
        port = native.no_snd_dev()
        if not port:
            raise StackError(0, "pjsua has no conference bridge", "clock")
        self._port = ptr(port)
        self._samples = samples
        self._buffer = ctypes.create_string_buffer(samples * 2)
        self._buffer_address = ctypes.addressof(self._buffer)
        self._frame = Frame()
        self._frame_ref = ctypes.byref(self._frame)  # built once: a tick runs 50 times a second
        self._timestamp = 0

    def tick(self) -> None:
        """One frame: queued port changes, then every port read and written once."""
        frame = self._frame
        frame.type = FRAME_TYPE_AUDIO  # all set again each time: the bridge writes them
        frame.buf = self._buffer_address
        frame.size = self._samples * 2
        frame.timestamp = self._timestamp
        frame.bit_info = 0
        self._get_frame(self._port, self._frame_ref)
        self._timestamp += self._samples
