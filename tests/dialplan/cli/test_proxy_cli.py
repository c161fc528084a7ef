"""`dialplan proxy` and its trunks: their passwords are read again while it runs only
when it has a control socket (`--control`), which Kamailio reloads their tables
through (dialplan/trunks/refresh.py); without one, a new password needs a restart."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from dialplan.cli.proxy import trunk_refresh
from dialplan.proxy.kamailio import ProxySettings
from dialplan.trunks import Trunk
from dialplan.trunks.edge import EdgeTrunk


def test_the_trunks_are_refreshed_only_through_a_control_socket(tmp_path: Path) -> None:
    trunk = EdgeTrunk.read(Trunk("carrier", "sip.example", "u1",
                                 password_file=tmp_path / "carrier.pass"))
    settings = ProxySettings("127.0.0.1", 5060, ("127.0.0.1:5061",), tmp_path / "d.list",
                             trunks=(trunk,))
    assert trunk_refresh(settings) is None
    assert trunk_refresh(dataclasses.replace(settings, trunks=())) is None
    refresh = trunk_refresh(dataclasses.replace(settings, control="unix:/tmp/x.ctl"))
    assert refresh is not None and refresh.trunks == (trunk,)
    assert refresh.folder == tmp_path / "trunks"
