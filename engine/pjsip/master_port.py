"""One tick of the conference bridge, run by the calling thread (through ctypes).

Why not pjsua2's null sound device: that device ticks the bridge on a thread of its
own, and in pjproject 2.15.1 (the wheel's) a tick can be inside a call's RTP send,
past the transport's "started" check, while the pjsua2 thread tears that call's
media down and clears the transport's socket key: ``pj_ioqueue_sendto`` then asserts
on the NULL key and the process aborts (upstream fixed it after 2.15.1, pjproject
#5016). The bridge's clock is only someone calling ``get_frame`` on its master port
every frame, so the pjsua2 thread does it itself: a tick and a teardown can no
longer overlap, whoever hangs up. pjsua2 does not expose the master port, but the
wheel exports the C functions needed; ``pjsua_set_no_snd_dev`` returns the port (it
is what ``AudDevManager.setNoDev`` calls).
"""

from __future__ import annotations

import ctypes

from engine.stack import StackError

FRAME_TYPE_AUDIO = 1  # PJMEDIA_FRAME_TYPE_AUDIO


class _Frame(ctypes.Structure):
    """``pjmedia_frame`` (pjmedia/frame.h): type, buf, size, timestamp, bit_info."""

    _fields_ = [
        ("type", ctypes.c_int),
        ("buf", ctypes.c_void_p),
        ("size", ctypes.c_size_t),
        ("timestamp", ctypes.c_uint64),
        ("bit_info", ctypes.c_uint32),
    ]


def _library() -> ctypes.CDLL:
    """The wheel's extension module, already loaded (pjproject is linked into it)."""
    from pjsua2 import pjsua2 as wrapper

    return ctypes.CDLL(wrapper._pjsua2.__file__)


class MasterPort:
    """The bridge's port 0; ``tick`` runs one frame of the whole bridge.

    Create it on the pjsua2 thread after ``libStart``: it switches pjsua to "no sound
    device" (idempotent) and keeps the port it returns. ``samples`` is the bridge's
    frame: clock rate x ptime, mono, 16-bit.
    """

    def __init__(self, samples: int) -> None:
        lib = _library()
        no_snd_dev = lib.pjsua_set_no_snd_dev
        no_snd_dev.restype = ctypes.c_void_p
        no_snd_dev.argtypes = []
        self._get_frame = lib.pjmedia_port_get_frame
        self._get_frame.restype = ctypes.c_int
        self._get_frame.argtypes = [ctypes.c_void_p, ctypes.POINTER(_Frame)]
        port = no_snd_dev()
        if not port:
            raise StackError(0, "pjsua has no conference bridge", "clock")
        self._port = ctypes.c_void_p(port)
        self._samples = samples
        self._buffer = ctypes.create_string_buffer(samples * 2)
        self._frame = _Frame()
        self._timestamp = 0

    def tick(self) -> None:
        """One frame: queued port changes, then every port read and written once."""
        frame = self._frame
        frame.type = FRAME_TYPE_AUDIO
        frame.buf = ctypes.cast(self._buffer, ctypes.c_void_p)
        frame.size = self._samples * 2
        frame.timestamp = self._timestamp
        frame.bit_info = 0
        self._get_frame(self._port, ctypes.byref(frame))
        self._timestamp += self._samples
