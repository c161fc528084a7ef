"""The session state machine accepts the table's moves and nothing else."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.session.state import (
    TRANSITIONS,
    CallState,
    IllegalTransition,
    SessionStateMachine,
)


def test_a_normal_outbound_call_walks_initiating_ringing_active_terminated():
    machine = SessionStateMachine()
    for state in (CallState.RINGING, CallState.ACTIVE, CallState.TERMINATING):
        assert machine.advance(state) is True
    machine.advance(CallState.TERMINATED)
    assert machine.history == [
        CallState.INITIATING,
        CallState.RINGING,
        CallState.ACTIVE,
        CallState.TERMINATING,
        CallState.TERMINATED,
    ]
    assert machine.ended


def test_hold_resume_and_failed_transfer_return_to_active():
    machine = SessionStateMachine(CallState.ACTIVE)
    machine.advance(CallState.ON_HOLD)
    machine.advance(CallState.ACTIVE)
    machine.advance(CallState.TRANSFERRING)
    machine.advance(CallState.ACTIVE)
    assert machine.state == CallState.ACTIVE


def test_early_media_is_answered_or_refused_but_never_held_or_transferred():
    machine = SessionStateMachine()
    machine.advance(CallState.RINGING)
    machine.advance(CallState.EARLY_MEDIA)
    assert machine.can(CallState.ACTIVE) and machine.can(CallState.TERMINATING)
    assert not machine.can(CallState.ON_HOLD) and not machine.can(CallState.TRANSFERRING)
    assert not machine.can(CallState.RINGING)  # 183 sent: no way back to plain ringing
    machine.advance(CallState.ACTIVE)
    assert machine.history[-2:] == [CallState.EARLY_MEDIA, CallState.ACTIVE]


def test_same_state_is_a_no_op():
    machine = SessionStateMachine(CallState.ACTIVE)
    assert machine.advance(CallState.ACTIVE) is False
    assert machine.history == [CallState.ACTIVE]


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (CallState.TERMINATED, CallState.ACTIVE),
        (CallState.RINGING, CallState.ON_HOLD),
        (CallState.INITIATING, CallState.TRANSFERRING),
        (CallState.TERMINATING, CallState.ACTIVE),
        (CallState.EARLY_MEDIA, CallState.ON_HOLD),
        (CallState.ACTIVE, CallState.EARLY_MEDIA),
    ],
)
def test_illegal_moves_raise_and_leave_the_state_alone(start, target):
    machine = SessionStateMachine(start)
    with pytest.raises(IllegalTransition) as err:
        machine.advance(target)
    assert (err.value.current, err.value.target) == (start, target)
    assert machine.state == start


def test_terminated_is_final_and_reachable_from_every_other_state():
    assert TRANSITIONS[CallState.TERMINATED] == frozenset()
    for state in CallState:
        if state != CallState.TERMINATED:
            assert CallState.TERMINATED in TRANSITIONS[state]


@given(st.lists(st.sampled_from(list(CallState)), max_size=30))
def test_any_sequence_only_ever_records_legal_steps(moves):
    machine = SessionStateMachine()
    for move in moves:
        with contextlib.suppress(IllegalTransition):
            machine.advance(move)
    for before, after in zip(machine.history, machine.history[1:], strict=False):
        assert after in TRANSITIONS[before]
