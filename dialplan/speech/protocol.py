"""The speech service's wire format, on a Unix socket, one utterance per connection.

Client -> service: one JSON line `{"grammar": [...], "rate": 8000}`, then audio frames,
each a 4-byte big-endian length and that many bytes of 16-bit mono PCM; a frame of
length 0 means the audio is over. Service -> client: JSON lines, `{"event": "started"}`
and `{"event": "result", "text": ..., "confidence": ...}` as soon as the end of speech
is heard (or at the end frame). Audio after the result is dropped; the service closes
the connection after the client's end frame.
"""

from __future__ import annotations

import json
import struct

from .recognizer import SpeechEvent

MAX_FRAME = 64_000  # bytes: 4 s of 8 kHz audio, far more than one 20 ms frame needs
HEADER_LIMIT = 64_000


def frame(pcm: bytes) -> bytes:
    return struct.pack(">I", len(pcm)) + pcm


def event_line(event: SpeechEvent) -> bytes:
    data: dict[str, object] = {"event": event.kind}
    if event.kind == "result":
        data.update(text=event.text, confidence=round(event.confidence, 3))
    return json.dumps(data, ensure_ascii=False).encode() + b"\n"


def parse_event(line: bytes) -> SpeechEvent:
    data = json.loads(line)
    return SpeechEvent(data["event"], data.get("text", ""), float(data.get("confidence", 0)))


def parse_header(line: bytes) -> tuple[list[str], int]:
    """The grammar and sample rate; ValueError when the header is not usable."""
    data = json.loads(line)
    grammar, rate = data.get("grammar"), data.get("rate", 8000)
    if not isinstance(grammar, list) or not all(isinstance(g, str) for g in grammar):
        raise ValueError("grammar must be a list of strings")
    if rate not in (8000, 16000):
        raise ValueError("rate must be 8000 or 16000")
    return grammar, rate
