"""packaging/dialplan.service as systemd reads it: `systemd-analyze verify` finds
nothing to say (unknown keys and bad values are only warnings there, so any output
fails), and its sandboxing keeps `systemd-analyze security` exposure at 2.0 or lower.
The unit's dialplan path is swapped for this checkout's, as verify checks it exists."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.harness import ROOT

ANALYZE = shutil.which("systemd-analyze")
pytestmark = pytest.mark.skipif(ANALYZE is None, reason="systemd-analyze is not installed "
                                "(Debian package systemd): the unit is not checked")
INSTALLED = "/opt/dialplan/bin/dialplan"


@pytest.fixture
def unit(tmp_path: Path) -> Path:
    here = shutil.which("dialplan") or str(Path(sys.executable).parent / "dialplan")
    text = (ROOT / "packaging/dialplan.service").read_text()
    assert f"ExecStart={INSTALLED} serve " in text
    path = tmp_path / "dialplan.service"
    path.write_text(text.replace(INSTALLED, here))
    return path


def _analyze(*args: str) -> subprocess.CompletedProcess[str]:
    assert ANALYZE is not None
    return subprocess.run([ANALYZE, *args], capture_output=True, text=True, timeout=60,
                          check=False)


def test_systemd_verifies_the_unit_without_a_warning(unit: Path) -> None:
    result = _analyze("verify", "--man=no", str(unit))
    assert result.returncode == 0 and not (result.stdout + result.stderr).strip(), \
        result.stdout + result.stderr


def test_the_units_sandbox_keeps_exposure_low(unit: Path) -> None:
    result = _analyze("security", "--offline=yes", "--threshold=20", str(unit))
    assert result.returncode == 0, result.stdout[-2000:]


def test_the_unit_drains_longer_than_the_default_drain_timeout() -> None:
    from dialplan.config import ServeConfig

    text = (ROOT / "packaging/dialplan.service").read_text()
    stop = int(text.split("TimeoutStopSec=")[1].split()[0])
    assert stop > ServeConfig().drain_timeout + 5
    assert "KillMode=mixed" in text and "ExecReload=/bin/kill -HUP $MAINPID" in text
