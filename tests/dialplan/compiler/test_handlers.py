"""Shared handlers: declared once per plan or flow, inherited by every menu, collect and
listen without a branch of its own for the event (the statement's own, then its flow's,
then the plan's), lowered at each statement as if written there."""

from __future__ import annotations

from dialplan import plan as p
from dialplan.build import build_text
from tests.dialplan.transcript import compile_ok

PLAN_HANDLERS = """
route 100 -> main
handlers {
  noinput -> say "plan noinput"; retry
  nomatch -> say "plan nomatch"; retry
  exhausted -> goto operator
}
"""


def inputs(plan: p.Plan) -> list[p.Node]:
    return [node for node in plan.nodes if isinstance(node.action, p.Menu | p.Collect | p.Listen)]


def said(plan: p.Plan, node: p.Node, event: p.Outcome) -> str | None:
    """What the branch of `event` says first, or the state it jumps to."""
    target = node.branch(event)
    assert target is not None
    action = plan.nodes[target].action
    if isinstance(action, p.Say):
        return action.text
    return f"state {action.state}" if isinstance(action, p.Enter) else repr(action)


def test_a_menu_without_handlers_inherits_the_plans() -> None:
    plan = compile_ok(PLAN_HANDLERS + """
        flow main { start: menu "Press 1" { 1 -> start }  operator: hangup }""")
    [menu] = inputs(plan)
    assert [said(plan, menu, e) for e in p.Outcome.__members__.values()
            if menu.has_branch(e)] == ["plan noinput", "plan nomatch", "state operator"]


def test_a_local_branch_wins_over_the_flows_and_the_flows_over_the_plans() -> None:
    plan = compile_ok(PLAN_HANDLERS + """
        flow main {
          handlers { nomatch -> say "flow nomatch"; retry }
          start: menu "Press 1" { 1 -> start  noinput -> say "own noinput"; retry }
          operator: hangup
        }""")
    [menu] = inputs(plan)
    assert said(plan, menu, p.Outcome.NOINPUT) == "own noinput"
    assert said(plan, menu, p.Outcome.NOMATCH) == "flow nomatch"
    assert said(plan, menu, p.Outcome.EXHAUSTED) == "state operator"


def test_a_handlers_retry_repeats_the_statement_that_inherited_it() -> None:
    plan = compile_ok(PLAN_HANDLERS + """
        flow main {
          start: menu "one" { 1 -> second }
          second: collect pin "PIN" digits 4
                  listen word "Yes or no?" phrases "yes", "no"
          operator: hangup
        }""")
    for node in inputs(plan):
        say = plan.nodes[node.branch(p.Outcome.NOMATCH)]  # type: ignore[index]
        retry = plan.nodes[say.next]  # type: ignore[index]
        assert retry.action == p.Retry(node.id)


def test_goto_in_a_plan_handler_names_a_state_of_each_inheriting_flow() -> None:
    plan = compile_ok(PLAN_HANDLERS + """
        route 200 -> billing
        flow main { start: menu "m" { 1 -> start }  operator: hangup }
        flow billing { start: menu "b" { 1 -> start }  operator: say "billing"; hangup }""")
    entries = {flow.name: dict(flow.states)["operator"] for flow in plan.flows}
    assert sorted(menu.branch(p.Outcome.EXHAUSTED) for menu in inputs(plan)) \
        == sorted(entries.values())


def test_a_flow_without_the_state_a_plan_handler_names_is_an_error_there() -> None:
    build = build_text(PLAN_HANDLERS + """
        flow main { start: menu "m" { 1 -> start } }""", "test.dialplan")
    assert build.plan is None
    assert [(d.code, d.span.line, d.message) for d in build.diagnostics] == [
        ("E301", 6, "undefined state `operator` in flow `main`")]


def test_a_body_for_several_events_is_lowered_once_per_statement() -> None:
    plan = compile_ok("""
        route 100 -> main
        handlers { noinput, nomatch -> say "again"; retry }
        flow main { start: menu "m" { 1 -> start } }""")
    [menu] = inputs(plan)
    assert menu.branch(p.Outcome.NOINPUT) == menu.branch(p.Outcome.NOMATCH)


def test_a_menu_inside_a_handler_inherits_nothing_so_lowering_ends() -> None:
    plan = compile_ok("""
        route 100 -> main
        handlers { exhausted -> menu "Press 0 for the operator" { 0 -> hangup } }
        flow main { start: menu "m" { 1 -> start } }""")
    outer, inner = sorted(inputs(plan), key=lambda node: node.action.input.prompt.text != "m")
    assert outer.has_branch(p.Outcome.EXHAUSTED)
    assert not inner.has_branch(p.Outcome.EXHAUSTED)


def test_handlers_take_only_noinput_nomatch_and_exhausted_each_once() -> None:
    build = build_text("""route 100 -> main
handlers { 0 -> hangup  ok -> hangup  noinput -> retry }
handlers { noinput -> hangup }
flow main { start: menu "m" { 1 -> start } }""", "test.dialplan")
    assert build.plan is None
    assert [(d.code, f"{d.span.line}:{d.span.column}", d.message) for d in build.diagnostics] == [
        ("E406", "2:12", "`handlers` has no `0` branch (it has: noinput, nomatch, exhausted)"),
        ("E406", "2:25", "`handlers` has no `ok` branch (it has: noinput, nomatch, exhausted)"),
        ("E407", "3:12", "duplicate branch `noinput` in `handlers`")]


def test_variables_set_in_a_handler_are_known_to_the_plan() -> None:
    plan = compile_ok("""
        route 100 -> main
        handlers { noinput -> set missed = "yes"; retry }
        flow main { start: menu "m" { 1 -> done }  done: if missed == "yes" { hangup } }""")
    assert inputs(plan)[0].has_branch(p.Outcome.NOINPUT)
