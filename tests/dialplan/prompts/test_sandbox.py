"""Templates are data-driven but sandboxed: reaching for Python internals is refused when
the plan is compiled, and harmless if it ever reaches run time."""

from __future__ import annotations

import pytest

from dialplan.build import build_text
from dialplan.machine import CallInfo, Machine
from dialplan.machine import commands as cmd
from dialplan.templates import render
from tests.dialplan.transcript import MONDAY_NOON, compile_ok

PLAN = 'route 100 -> main\nflow main {{ s: say "{text}"; hangup }}\n'


@pytest.mark.parametrize("text", [
    "{{ ''.__class__ }}", "{{ caller.__class__.__mro__ }}", "{{ caller['__class__'] }}",
    "{% for c in ''.__class__.__subclasses__() %}{{ c }}{% endfor %}",
])
def test_templates_reaching_for_internals_are_compile_errors(text: str) -> None:
    build = build_text(PLAN.format(text=text), "t.dialplan")
    assert build.plan is None
    assert [d.code for d in build.diagnostics] == ["E412"]
    assert "reaches for Python internals" in build.diagnostics[0].message


def test_at_run_time_the_sandbox_renders_internals_as_nothing() -> None:
    text, problem = render("Hello {{ ''.__class__ }}!", {})
    assert text == "Hello !" and problem is not None and "SecurityError" in problem


def test_caller_input_is_data_never_template_source() -> None:
    plan = compile_ok('route 100 -> main\nflow main { s: say "Hello {{ caller_name }}."; hangup }')
    info = CallInfo(caller="1", called="100", caller_name="{{ 7 * 7 }}{{ ''.__class__ }}")
    _, commands = Machine(plan).start(info, MONDAY_NOON)
    assert commands == [cmd.Say("Hello {{ 7 * 7 }}{{ ''.__class__ }}.")]
