"""`[serve] srtp`: the service answers SDES offers with keys of its own and, when SRTP is
mandatory, refuses callers that offer plain RTP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.engine.sipp import rejected_call, savp_call_answered_with_keys
from tests.support.harness import ROOT, Server, sipp

pytestmark = pytest.mark.timeout(90)


@pytest.fixture(scope="module")
def secure(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    workdir = tmp_path_factory.mktemp("srtp")
    server = Server(ROOT / "examples" / "dialplans", workdir, settings='srtp = "mandatory"\n')
    yield server
    server.stop()


def test_an_srtp_caller_is_answered_with_the_services_own_keys(secure: Server, tmp_path: Path):
    result = sipp(savp_call_answered_with_keys(), secure, "100", tmp_path)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]


def test_a_plain_rtp_caller_gets_488_when_srtp_is_mandatory(secure: Server, tmp_path: Path):
    result = sipp(rejected_call(488), secure, "100", tmp_path)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
