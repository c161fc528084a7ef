"""Benchmark: the call machine's steps per second (one `Machine.step` per caller event).

    .venv/bin/python bench/machine_steps.py [--events 60000] [--plan plain|arith] [--repeat 5]

A menu loop: each key press runs `set`s, a condition and a `say` template, then waits
for the prompt's end and the menu prompt's end (three events a press). `plain` uses
comparisons only (the language before arithmetic); `arith` counts and sums with
expressions on every press: the per-step cost of arithmetic, functions, dotted names.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

from dialplan.build import build_text
from dialplan.machine import CallInfo, Machine
from dialplan.machine import events as ev

PLAIN = """
route 100 -> main
flow main {
  start:
    answer
    set last = ""
    goto menu
  menu:
    menu "Press a key." timeout 5s attempts 3 {
      1, 2, 3 -> set last = "low"; goto said
      4, 5, 6 -> set last = "high"; goto said
      noinput, nomatch -> retry
      exhausted -> hangup
    }
  said:
    if last == "low" and caller != "0" { set band = 1 } else { set band = 2 }
    say "You are in band {{ band }}."
    goto menu
}
"""

ARITH = """
route 100 -> main
flow main {
  start:
    answer
    set presses = 0
    set account.total = 0.0
    goto menu
  menu:
    menu "Press a key." timeout 5s attempts 3 {
      1, 2, 3 -> set account.total = account.total + 0.1; goto said
      4, 5, 6 -> set account.total = account.total - 0.05 * 2; goto said
      noinput, nomatch -> retry
      exhausted -> hangup
    }
  said:
    set presses = presses + 1
    if presses % 2 == 0 and length(caller) > 0 { set band = presses / 2 } else { set band = -1 }
    say "Total {{ account.total }} after {{ presses }} presses."
    goto menu
}
"""

NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)


def run(text: str, events: int) -> float:
    build = build_text(text, "bench.dialplan")
    assert build.plan is not None, [d.message for d in build.diagnostics]
    machine = Machine(build.plan)
    state, _ = machine.start(CallInfo(caller="5551234", called="100"), NOW)
    state, _ = machine.step(state, ev.PromptFinished(), NOW)  # the menu's prompt
    started = time.process_time()  # CPU time: the machine is shared, wall time is noise
    done = ev.PromptFinished()
    for index in range(events // 3):  # a key, the answer's end, the menu prompt's end
        state, _ = machine.step(state, ev.Digit(str(index % 6 + 1)), NOW)
        state, _ = machine.step(state, done, NOW)
        state, _ = machine.step(state, done, NOW)
    assert not state.ended
    return (events // 3 * 3) / (time.process_time() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=60_000)
    parser.add_argument("--plan", choices=("plain", "arith"), default="plain")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    text = PLAIN if args.plan == "plain" else ARITH
    rate = max(run(text, args.events) for _ in range(args.repeat))  # the least disturbed run
    print(f"{args.plan}: {rate:,.0f} steps/s (CPU time, best of {args.repeat}) "
          f"over {args.events:,} events")


if __name__ == "__main__":
    main()
