"""Reading the trunks' passwords again (refresh.py), without Kamailio: when a check is
due, what changes rewrite the tables and ask for a reload, and a password file that
became unusable puts the trunk out of service with the reason instead of failing.
Kamailio taking the tables in: test_trunks_refresh.py."""

from __future__ import annotations

from pathlib import Path

from dialplan.trunks import Trunk
from dialplan.trunks.edge import EdgeTrunk
from dialplan.trunks.refresh import TrunkRefresh


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def refresh_of(tmp_path: Path, *trunks: Trunk) -> tuple[TrunkRefresh, list[bool], Clock]:
    reloads: list[bool] = []

    def reload() -> bool:
        reloads.append(True)
        return True

    clock = Clock()
    refresh = TrunkRefresh(tuple(EdgeTrunk.read(t) for t in trunks), tmp_path / "trunks",
                           "127.0.0.1:5060", reload, every=5.0, clock=clock)
    return refresh, reloads, clock


def test_a_password_file_that_appears_is_taken_in_at_the_next_due_check(tmp_path: Path
                                                                         ) -> None:
    secret = tmp_path / "carrier.pass"
    refresh, reloads, clock = refresh_of(tmp_path, Trunk("carrier", "sip.example", "u1",
                                                         password_file=secret))
    secret.touch(mode=0o600)
    secret.write_text("n3w-Secret")
    assert refresh.step() is None  # not due yet
    clock.now += 5
    fresh = refresh.step()
    assert fresh is not None and fresh[0].password == "n3w-Secret"
    assert reloads == [True]
    assert "carrier:0:0:n3w-Secret" in (tmp_path / "trunks" / "trunkauth").read_text()
    assert refresh.check() is None and reloads == [True]  # unchanged: no reload


def test_an_unusable_file_puts_the_trunk_out_of_service_with_the_reason(tmp_path: Path
                                                                         ) -> None:
    secret = tmp_path / "carrier.pass"
    secret.touch(mode=0o600)
    secret.write_text("s3cret")
    refresh, reloads, _ = refresh_of(tmp_path, Trunk("carrier", "sip.example", "u1",
                                                     password_file=secret))
    secret.chmod(0o644)
    fresh = refresh.check()
    assert fresh is not None and "chmod 600" in fresh[0].out_of_service
    assert "s3cret" not in (tmp_path / "trunks" / "trunkauth").read_text()
    assert "s3cret" not in (tmp_path / "trunks" / "uacreg").read_text()
    assert reloads == [True]


def test_a_trunk_without_a_password_source_is_left_as_it_was(tmp_path: Path) -> None:
    given = EdgeTrunk(Trunk("carrier", "sip.example", "u1"), "given-Secret")
    refresh = TrunkRefresh((given,), tmp_path, "127.0.0.1:5060", lambda: True)
    assert refresh.check() is None
