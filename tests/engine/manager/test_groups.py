"""Session groups and the bridges registry, without SIP."""

from __future__ import annotations

import pytest

from engine import SessionGroups
from engine.manager.groups import BridgeRegistry


def test_groups_track_members_and_forget_ended_sessions():
    groups = SessionGroups()
    groups.add("sales", "s1")
    groups.add("sales", "s2")
    groups.add("vip", "s1")
    assert groups.members("sales") == {"s1", "s2"}
    assert groups.groups_of("s1") == ["sales", "vip"]
    groups.forget("s1")
    assert groups.members("sales") == {"s2"}
    assert groups.names() == ["sales"]

def test_bridges_end_with_either_leg():
    bridges = BridgeRegistry()
    info = bridges.add("a", "b")
    bridges.add("c", "d")
    with pytest.raises(ValueError):
        bridges.add("a", "a")
    assert bridges.forget_session("b") == [info]
    assert len(bridges) == 1
