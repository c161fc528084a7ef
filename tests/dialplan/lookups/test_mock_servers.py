"""The mock servers of tests and `dialplan test --live` listen on loopback only."""

from __future__ import annotations

import threading

import pytest

from dialplan.live.mocks import LiveMocks
from dialplan.lookups.mocks import HttpMock
from dialplan.lookups.server import MockServer
from dialplan.sim.driver import Unfollowable


@pytest.mark.parametrize("host", ["0.0.0.0", "10.0.0.1", "::"])
def test_a_mock_server_refuses_to_listen_beyond_loopback(host: str) -> None:
    with pytest.raises(ValueError, match="loopback only"):
        MockServer([], host=host)


@pytest.mark.parametrize("url", ["https://127.0.0.1:8443/", "http://api.example.com:80/",
                                 "http://127.0.0.1/", "http://0.0.0.0:80/"])
def test_live_mocks_need_a_loopback_http_origin_with_a_port(url: str) -> None:
    with pytest.raises(Unfollowable, match=r"127\.x\.x\.x:PORT"):
        LiveMocks([HttpMock(url)], threading.Lock())
