"""`dialplan simulate --http URL=JSON`: the plan's fetches answered from the command line."""

from __future__ import annotations

import subprocess
import sys

import pytest

from dialplan.cli.main import main

BALANCE = "examples/dialplans/balance.dialplan"


def test_a_fetch_is_answered_by_the_http_option_and_sets_variables() -> None:
    command = [sys.executable, "-m", "dialplan", "simulate", BALANCE, "--http",
               'http://127.0.0.1:8099/v1/={"balance": 42.5}']
    done = subprocess.run(command, input="1234\nvars\n", text=True, capture_output=True,
                          timeout=20)
    assert done.returncode == 0 and done.stderr == ""
    assert 'fetch POST "http://127.0.0.1:8099/v1/accounts/5551234/balance"' in done.stdout
    assert "account.balance = 42.5" in done.stdout and "code = 200" in done.stdout


def test_without_a_mock_the_fetch_fails_and_a_bad_option_exits_2(
        capsys: pytest.CaptureFixture[str]) -> None:
    done = subprocess.run([sys.executable, "-m", "dialplan", "simulate", BALANCE],
                          input="1234\n", text=True, capture_output=True, timeout=20)
    assert "We cannot look up your account right now." in done.stdout
    assert main(["simulate", BALANCE, "--http", "no-equals-sign"]) == 2
    assert "--http: 'no-equals-sign' is not URL=JSON" in capsys.readouterr().err
