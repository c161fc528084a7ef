"""A real softphone for tests (the one baresip driver: the office's two-way calls and
the registrar's tests use it): Debian's baresip, headless. It registers with a password,
answers by itself (`answermode=auto`, or rings until told), sends a tone from a WAV
file (aufile) and keeps what it hears (sndfile dumps the decoded audio), and is driven
over ctrl_tcp (JSON in netstrings: `dial`, `hangup`; events such as REGISTER_OK,
CALL_ESTABLISHED back).

Loopback only; every wait is bounded and the process is stopped by `close` (or the
`baresip_phone` context manager), killed if it will not stop.
"""

from __future__ import annotations

import contextlib
import json
import math
import socket
import struct
import subprocess
import time
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.engine.support import free_port_block

RATE = 8000
MODULES = ("g711.so", "aufile.so", "sndfile.so")
CONFIG = """\
poll_method epoll
sip_listen {host}:{sip}
audio_player aufile,/dev/null
audio_alert aufile,/dev/null
audio_source aufile,{tone}
audio_srate {rate}
audio_channels 1
rtp_ports {rtp}-{rtp_end}
module_path /usr/lib/baresip/modules
{modules}
module_app account.so
module_app menu.so
module_app ctrl_tcp.so
ctrl_tcp_listen 127.0.0.1:{control}
snd_path {heard}
"""


def write_tone(path: Path, hertz: float, seconds: float = 30.0) -> None:
    """A sine at `hertz`, 8 kHz mono 16-bit: what the phone says."""
    count = int(RATE * seconds)
    samples = (int(8000 * math.sin(2 * math.pi * hertz * i / RATE)) for i in range(count))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(struct.pack(f"<{count}h", *samples))


def tone_level(path: Path, hertz: float, seconds: float = 1.0) -> float:
    """The amplitude of `hertz` in the last `seconds` of a WAV file (Goertzel)."""
    with wave.open(str(path)) as heard:
        rate, count = heard.getframerate(), heard.getnframes()
        samples = struct.unpack(f"<{count}h", heard.readframes(count))[-int(rate * seconds):]
    if not samples:
        return 0.0
    k = 2 * math.cos(2 * math.pi * hertz / rate)
    s1 = s2 = 0.0
    for value in samples:
        s1, s2 = value + k * s1 - s2, s1
    power = max(s1 * s1 + s2 * s2 - k * s1 * s2, 0.0)
    return 2 * math.sqrt(power) / len(samples)


class BaresipPhone:
    """One baresip on `host` registered as `number` at the registrar `server`
    (host:port); it answers by itself unless `auto_answer` is off (then it rings)."""

    def __init__(self, workdir: Path, number: str, password: str, server: str,
                 tone_hz: float = 440.0, host: str = "127.0.0.1",
                 auto_answer: bool = True) -> None:
        self.folder = workdir / f"baresip-{number}"
        self.heard_folder = self.folder / "heard"
        self.heard_folder.mkdir(parents=True)
        self.server, self.number = server, number
        write_tone(tone := self.folder / "tone.wav", tone_hz)
        sip, rtp, self.control = free_port_block(2), free_port_block(8), free_port_block(1)
        modules = "\n".join(f"module {name}" for name in MODULES)
        (self.folder / "config").write_text(CONFIG.format(
            host=host, sip=sip, tone=tone, rate=RATE, rtp=rtp, rtp_end=rtp + 7, modules=modules,
            control=self.control, heard=self.heard_folder))
        (self.folder / "accounts").write_text(
            f"<sip:{number}@{server}>;auth_pass={password};regint=60;"
            f"answermode={'auto' if auto_answer else 'manual'};"
            "audio_codecs=PCMU\n")
        self.log = self.folder / "baresip.log"
        with self.log.open("w") as log:
            self.process = subprocess.Popen(["baresip", "-f", str(self.folder)],
                                            cwd=self.folder, stdout=log,
                                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.events: list[dict[str, Any]] = []
        self._buffer = b""
        self._control = self._connect()

    def _connect(self, timeout: float = 10.0) -> socket.socket:
        deadline = time.monotonic() + timeout
        while True:
            try:
                return socket.create_connection(("127.0.0.1", self.control), timeout=1)
            except OSError:
                assert self.process.poll() is None, self.log.read_text()
                assert time.monotonic() < deadline, "baresip's ctrl_tcp did not open"
                time.sleep(0.05)

    def command(self, name: str, params: str = "") -> None:
        body = json.dumps({"command": name, "params": params, "token": name}).encode()
        self._control.sendall(str(len(body)).encode() + b":" + body + b",")

    def _read(self, until: float) -> None:
        self._control.settimeout(max(0.01, min(0.2, until - time.monotonic())))
        with contextlib.suppress(TimeoutError, socket.timeout):
            chunk = self._control.recv(65536)
            self._buffer += chunk
        while b":" in self._buffer:
            size, _, rest = self._buffer.partition(b":")
            if len(rest) < int(size) + 1:
                return
            self.events.append(json.loads(rest[:int(size)]))
            self._buffer = rest[int(size) + 1:]

    def wait_event(self, kind: str, timeout: float = 10.0) -> dict[str, Any]:
        """The first event of this type (REGISTER_OK, CALL_ESTABLISHED, CALL_CLOSED...)."""
        deadline = time.monotonic() + timeout
        while True:
            found = next((e for e in self.events if e.get("type") == kind), None)
            if found is not None:
                return found
            assert time.monotonic() < deadline, (
                f"{self.number}: no {kind} in {timeout} s; events "
                f"{[e.get('type') for e in self.events]}\n{self.log.read_text()[-2000:]}")
            self._read(deadline)

    def wait_registered(self, timeout: float = 10.0) -> None:
        """Until its REGISTER got 200 (logged; the event may precede our connection)."""
        deadline = time.monotonic() + timeout
        while f"{self.number}@127.0.0.1: {{0/UDP/v4}} 200 OK" not in self.log.read_text():
            assert time.monotonic() < deadline, self.log.read_text()[-2000:]
            self._read(deadline)

    def dial(self, number: str) -> None:
        self.command("dial", f"sip:{number}@{self.server}")

    def heard(self) -> Path:
        """The decoded audio of its last call (sndfile's `-dec.wav` dump)."""
        dumps = sorted(self.heard_folder.glob("*-dec.wav"))
        assert dumps, f"{self.number} kept no audio"
        return dumps[-1]

    def heard_size(self) -> int:
        """Bytes of audio heard so far in its last call (0 before one)."""
        dumps = sorted(self.heard_folder.glob("*-dec.wav"))
        return dumps[-1].stat().st_size if dumps else 0

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._control.close()
        if self.process.poll() is None:
            self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


@contextlib.contextmanager
def baresip_phone(workdir: Path, number: str, password: str, server: str,
                  tone_hz: float = 440.0, host: str = "127.0.0.1",
                  auto_answer: bool = True) -> Iterator[BaresipPhone]:
    phone = BaresipPhone(workdir, number, password, server, tone_hz, host, auto_answer)
    try:
        yield phone
    finally:
        phone.close()
