"""`expect webhook EVENT field = value ...` in scenario files: the simulator records the
webhooks the service would post, and scenarios assert them in order; a mismatch names
what was sent; the live driver cannot see them and skips the step."""

from __future__ import annotations

from pathlib import Path

import pytest

from dialplan.loader import Sources
from dialplan.scenarios import ScenarioError, parse_scenarios, read_scenarios
from dialplan.scenarios.model import ExpectWebhook
from dialplan.scenarios.run import run_file

FIXTURES = Path(__file__).parent / "fixtures"


def test_webhook_expectations_parse_with_dotted_fields_and_typed_values() -> None:
    text = ('scenario "s" {\n  call 100\n  expect webhook ended outcome = "hangup" '
            "duration = 1.5 call.called = 100 answered_at = false\n  say \"yes\"\n}\n")
    step = parse_scenarios(text, "s.test").scenarios[0].steps[0]
    assert step == ExpectWebhook(step.pos, step.source, "ended", (
        ("outcome", "hangup"), ("duration", 1.5), ("call.called", 100),
        ("answered_at", False)))


def test_a_field_without_a_value_or_an_unknown_event_is_a_positioned_error() -> None:
    with pytest.raises(ScenarioError, match=r"s.test:3:\d+: expected started, answered"):
        parse_scenarios('scenario "s" {\n  call 100\n  expect webhook rang\n}\n', "s.test")
    with pytest.raises(ScenarioError, match=r"s.test:4:1: expected `false`, `true`, a number"):
        parse_scenarios('scenario "s" {\n  call 100\n  expect webhook ended outcome =\n}\n',
                        "s.test")


def test_the_simulator_posts_what_the_service_would_and_scenarios_assert_it() -> None:
    results = run_file(read_scenarios(str(FIXTURES / "webhooks.test")), Sources()).results
    assert [r.passed for r in results] == [True, True, True, False, False]
    wrong, missing = results[3].failure, results[4].failure
    assert wrong is not None and missing is not None
    assert wrong.expected == 'webhook ended with outcome = "hangup"'
    assert wrong.actual == 'ended with outcome = "caller_hangup"'
    assert missing.actual == "no queued webhook (sent: started, answered)"
