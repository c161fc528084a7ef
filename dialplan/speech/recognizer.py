"""One utterance against a fixed grammar: audio in, `started` and `result` out.

vosk signals the end of speech itself (AcceptWaveform returns True after trailing
silence). The start of speech is the first non-empty partial result: that is what
barge-in acts on. Confidence is the lowest word confidence of the result.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SpeechEvent:
    kind: str  # started | result
    text: str = ""
    confidence: float = 0.0


class Utterance:
    def __init__(self, model: Any, grammar: list[str], rate: int = 8000) -> None:
        from vosk import KaldiRecognizer

        words = json.dumps([*grammar, "[unk]"], ensure_ascii=False)
        self._recognizer = KaldiRecognizer(model, rate, words)
        self._recognizer.SetWords(True)
        self.started = False
        self.done = False

    def feed(self, pcm: bytes) -> list[SpeechEvent]:
        """16-bit mono PCM at the session's rate; returns the events it caused."""
        if self.done:
            return []
        events: list[SpeechEvent] = []
        if self._recognizer.AcceptWaveform(pcm):
            result = self._result(self._recognizer.Result())
            if result.text or self.started:
                if not self.started:
                    events.append(SpeechEvent("started"))
                events.append(result)
                self.done = True
                self.started = True
        elif not self.started and json.loads(self._recognizer.PartialResult()).get("partial"):
            self.started = True
            events.append(SpeechEvent("started"))
        return events

    def finish(self) -> list[SpeechEvent]:
        """The audio ended (the caller's turn is over): whatever was heard so far."""
        if self.done:
            return []
        self.done = True
        return [self._result(self._recognizer.FinalResult())]

    @staticmethod
    def _result(raw: str) -> SpeechEvent:
        data = json.loads(raw)
        words = [w for w in data.get("result", []) if w.get("word") != "[unk]"]
        text = " ".join(w["word"] for w in words)
        confidence = min((float(w.get("conf", 0.0)) for w in words), default=0.0)
        return SpeechEvent("result", text, confidence)
