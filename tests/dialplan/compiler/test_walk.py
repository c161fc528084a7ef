"""The one walk over a plan that lint, coverage and the returning-flows analysis share."""

from __future__ import annotations

from dialplan import plan as p
from dialplan.compiler.walk import edges, reaches_end, returning_flows, successors, walk
from tests.dialplan.transcript import compile_ok

PLAN = compile_ok("""
route 100 -> main
flow main { s: run back; run away; answer; say "Hi"; hangup }
flow back { s: wait 1s; return }
flow away { s: hangup }
flow via { s: run back }
""")


def _onward(node: p.Node) -> list[int | None]:
    return [target for _, target in edges(node, returning_flows(PLAN))]


def test_flows_that_come_back_include_those_that_return_through_a_sub_flow() -> None:
    returning = returning_flows(PLAN)
    assert {"back", "via"} <= returning
    assert "away" not in returning


def test_a_walk_visits_each_node_once_and_stops_where_told() -> None:
    main = PLAN.flow_by_name["main"].entry
    answered = [node for node in walk(PLAN, [main], successors,
                                      lambda node: isinstance(node.action, p.Answer))
                if node is not None]
    kinds = [type(node.action) for node in answered]
    assert p.Answer in kinds and p.Say not in kinds  # nothing past the stop
    assert len({node.id for node in answered}) == len(answered)


def test_a_walk_reaches_the_end_of_a_state_only_along_a_returning_path() -> None:
    def entry(flow: str) -> int:
        return PLAN.flow_by_name[flow].entry
    assert reaches_end(walk(PLAN, [entry("back")], _onward))
    assert not reaches_end(walk(PLAN, [entry("away")], _onward))
