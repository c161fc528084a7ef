"""Transitions: which edges a plan has, and that tracing credits exactly those taken."""

from __future__ import annotations

import contextlib
import glob

from hypothesis import given, settings
from hypothesis import strategies as st

from dialplan import plan as p
from dialplan.build import build_file
from dialplan.machine.trace import Transition
from dialplan.sim import SimulationError, VirtualCall
from dialplan.sim.transitions import PlanTransitions
from tests.dialplan.transcript import compile_ok

EXAMPLES = sorted(set(glob.glob("examples/dialplans/**/*.dialplan", recursive=True))
                  - set(glob.glob("examples/dialplans/**/shared/*.dialplan", recursive=True)))
PLANS = {path: build_file(path).plan for path in EXAMPLES}
MULTI = PLANS["examples/dialplans/multi/main.dialplan"]


def labels_of(plan: p.Plan, kind: type) -> set[str]:
    edges = PlanTransitions(plan).targets
    return {t.label for t in edges if isinstance(plan.nodes[t.node].action, kind)}


def test_a_menu_leaves_only_by_its_branches():
    plan = PLANS["examples/dialplans/demo.dialplan"]
    assert labels_of(plan, p.Menu) == {"key 1", "key 2", "noinput", "nomatch", "exhausted"}


def test_hangup_retry_and_return_have_no_edges_of_their_own():
    assert labels_of(MULTI, p.Hangup) == labels_of(MULTI, p.Retry) == set()
    assert labels_of(MULTI, p.Return) == set()


def test_a_run_continues_only_when_the_called_flow_can_return():
    edges = PlanTransitions(MULTI).targets
    runs = {MULTI.nodes[t.node].action.flow: set() for t in edges  # type: ignore[union-attr]
            if isinstance(MULTI.nodes[t.node].action, p.Run)}
    for t in edges:
        action = MULTI.nodes[t.node].action
        if isinstance(action, p.Run):
            runs[action.flow].add(t.label)
    assert runs == {"verify_pin": {"call", "next"}, "goodbye": {"call"}}


def test_a_transfer_with_a_failed_branch_has_no_next():
    plan = compile_ok('route 1 -> f  flow f { s: transfer "sip:1@h" { failed -> say "x" } '
                      'say "y" }')
    assert labels_of(plan, p.Transfer) == {"failed"}


def test_returning_from_a_sub_flow_credits_the_run_it_returns_to():
    call = VirtualCall(MULTI, number="500")
    call.start()
    call.press("1234")
    run = next(n for n in MULTI.nodes if n.action == p.Run("verify_pin"))
    assert Transition(run.id, "next") in call.tracer.taken
    assert call.where == "account_line.account_menu"
    assert call.tracer.mismatches == 0


OPERATION = st.one_of(
    st.tuples(st.just("press"), st.sampled_from(["1", "2", "3", "9", "0", "#", "1234#", "205"])),
    st.tuples(st.just("say"), st.sampled_from(["sales", "yes", "no", "help", "what"])),
    st.tuples(st.just("wait"), st.sampled_from([1.0, 5.0, 30.0, 200.0])),
    st.tuples(st.just("choose"), st.sampled_from(["answer", "busy", "noanswer", "fail", "end"])),
)


@settings(max_examples=40, deadline=None)
@given(path=st.sampled_from(EXAMPLES), number=st.sampled_from(["100", "299", "205", "300",
                                                               "400", "500", "1000"]),
       operations=st.lists(OPERATION, max_size=12))
def test_tracing_always_fits_the_plan_whatever_the_caller_does(path, number, operations):
    plan = PLANS[path]
    call = VirtualCall(plan, number=number)
    call.start()
    for name, argument in operations:
        with contextlib.suppress(SimulationError):
            getattr(call, name)(argument)
    assert call.tracer.mismatches == 0
    assert set(call.tracer.taken) <= set(PlanTransitions(plan).targets)
