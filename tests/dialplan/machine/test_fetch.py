"""The `fetch` node: a Fetch command, then ok, failed or timeout by its result."""

from __future__ import annotations

from dialplan.machine import commands as cmd
from dialplan.machine import events as ev
from tests.dialplan.transcript import Call

PLAN = """
route 100 -> main
flow main {
  start:
    answer
    fetch account "https://api.example/accounts/{{ caller }}?pin={{ pin }}" timeout 3s
          status code headers "Authorization: Bearer $API_TOKEN" {
      ok -> say "Balance {{ account_balance }}"; hangup
      failed -> say "Failed {{ code }}"; hangup
      timeout -> say "Too slow"; hangup
    }
}
set pin = "12"
set account_balance = "read from dotted names once expressions read them"
"""


def _fetch(call: Call) -> cmd.Fetch:
    fetches = [c for c in call.log if isinstance(c, cmd.Fetch)]
    return fetches[-1]


def test_fetch_renders_the_url_and_waits_for_its_result() -> None:
    call = Call.of(PLAN)
    call.start()
    fetch = _fetch(call)
    assert fetch.url == "https://api.example/accounts/5551234?pin=12"
    assert fetch.headers == (("Authorization", "Bearer $API_TOKEN"),)  # the secret unread
    assert (fetch.method, fetch.timeout) == ("GET", 3.0)
    assert call.state is not None and call.state.phase == "fetching"


def test_ok_stores_the_values_and_status_and_takes_ok() -> None:
    call = Call.of(PLAN)
    call.start()
    call.send(ev.FetchResult(_fetch(call).request, "ok", 200, (("account.balance", 42.5),)))
    assert call.var("account.balance") == 42.5 and call.var("code") == 200
    assert cmd.Say("Balance read from dotted names once expressions read them") in call.log


def test_a_failed_result_keeps_its_status_and_takes_failed() -> None:
    call = Call.of(PLAN)
    call.start()
    call.send(ev.FetchResult(_fetch(call).request, "failed", 500, problem="HTTP 500"))
    assert cmd.Say("Failed 500") in call.log


def test_the_timer_takes_timeout_and_a_late_result_is_ignored() -> None:
    call = Call.of(PLAN)
    call.start()
    request = _fetch(call).request
    call.timeout()
    assert cmd.Say("Too slow") in call.log and call.var("code") == 0
    late = call.send(ev.FetchResult(request, "ok", 200, (("account.balance", 1),)))
    assert late == [] and call.var("account.balance") is None


def test_a_hostile_caller_number_stays_in_the_path() -> None:
    call = Call.of(PLAN, caller="1@evil.example:80/x?y#z")
    call.start()
    url = _fetch(call).url
    assert url.startswith("https://api.example/accounts/1%40evil.example%3A80%2Fx%3Fy%23z?")


def test_a_caller_value_walking_up_fails_without_a_request() -> None:
    call = Call.of(PLAN.replace("{{ caller }}?pin={{ pin }}", "{{ caller }}"), caller="..")
    call.start()
    assert not [c for c in call.log if isinstance(c, cmd.Fetch)]
    assert cmd.Say("Failed 0") in call.log


def test_a_new_fetch_forgets_the_values_of_the_last() -> None:
    plan = """
route 100 -> main
flow main {
  start:
    answer
    fetch a "https://api.example/x" { failed -> hangup }
    say "Got it."
    fetch a "https://api.example/y"
    hangup
}
"""
    call = Call.of(plan)
    call.start()
    call.send(ev.FetchResult(_fetch(call).request, "ok", 200, (("a.old", 1), ("a", 2))))
    assert call.var("a.old") == 1
    call.prompt_done()
    assert _fetch(call).url == "https://api.example/y" and call.var("a.old") is None


def test_a_json_body_is_rendered_and_makes_a_post() -> None:
    plan = """
route 100 -> main
flow main {
  start:
    answer
    fetch r "https://api.example/pins" json "caller={{ caller }}", "kind=pin"
    hangup
}
"""
    call = Call.of(plan)
    call.start()
    fetch = _fetch(call)
    assert (fetch.method, fetch.body_kind) == ("POST", "json")
    assert fetch.body == (("caller", "5551234"), ("kind", "pin"))


def test_a_fetch_may_read_the_last_result_under_its_own_name() -> None:
    plan = """
route 100 -> main
flow main {
  start:
    answer
    fetch a "https://api.example/first" { failed -> hangup }
    fetch a "https://api.example/next/{{ a }}"
    hangup
}
"""
    call = Call.of(plan)
    call.start()
    call.send(ev.FetchResult(_fetch(call).request, "ok", 200, (("a", "page-2"),)))
    assert _fetch(call).url == "https://api.example/next/page-2" and call.var("a") is None
