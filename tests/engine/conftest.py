"""Fixtures: engine peers in separate processes, always cleaned up."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.engine.support import PeerProcess


@pytest.fixture
def spawn_peer() -> Iterator[Callable[..., PeerProcess]]:
    """Factory for started peers; every peer is stopped (or killed) at teardown."""
    peers: list[PeerProcess] = []

    def spawn(name: str, **start_args: object) -> PeerProcess:
        peer = PeerProcess(name)
        peers.append(peer)
        peer.start(**start_args)
        return peer

    yield spawn
    with ThreadPoolExecutor(max(1, len(peers))) as pool:  # stop in parallel: ~1 s each
        list(pool.map(PeerProcess.stop, peers))
    for peer in peers:
        peer.kill()


@pytest.fixture
def pair(spawn_peer: Callable[..., PeerProcess]) -> tuple[PeerProcess, PeerProcess]:
    """Alice (caller) and Bob (auto-answering callee)."""
    return spawn_peer("alice"), spawn_peer("bob")
