"""The few pjsip C functions pjsua2 does not wrap, bound with ctypes.

Why: pjsua2 cannot register a pjsip module (needed to answer requests pjsua would
drop or answer wrongly, see ``gate.py``) and cannot end an INVITE transaction that
never got a response (pjsip then waits for Timer B, 32 s, before it frees the call
slot, see ``call_ops.hangup``). The wheel links pjsip statically and exports its
symbols, so ctypes reaches them in the very library pjsua2 runs on. Only stable,
documented entry points are used; the one struct we lay out is ``pjsip_module``
(unchanged since pjsip 1.x) and ``pj_str_t``.
"""

from __future__ import annotations

import ctypes
from ctypes import CFUNCTYPE, POINTER, Structure, c_char_p, c_int, c_size_t, c_ssize_t, c_uint
from ctypes import c_void_p as ptr
from typing import Any

import pjsua2._pjsua2 as _raw


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


def _fn(fn: Any, restype: type | None, *argtypes: type) -> Any:
    fn.restype = restype
    fn.argtypes = list(argtypes)
    return fn
