"""Benchmark: parse + compile + lint of a generated 10,000-line dialplan.

    .venv/bin/python bench/parse_compile.py [--lines 10000] [--repeat 5]

Prints the median wall time of each stage over the repeats, and the total. The plan
is realistic in shape: many flows of menus, collects, conditions, dials and queues.
"""

from __future__ import annotations

import argparse
import statistics
import time

from dialplan.compiler.compile import compile_modules
from dialplan.syntax.parser import parse

FLOW = """
// department {i}
route {number} -> dept{i}

flow dept{i} {{
  start:
    answer
    say "Welcome to department {i}, {{{{ caller }}}}."
    if during hours and caller != "0" {{
      goto menu
    }} else {{
      goto closed
    }}

  menu:
    menu "Press 1 for sales, 2 for support, 3 to enter an order." timeout 5s attempts 3 {{
      1, "sales" -> dial "sip:sales{i}@127.0.0.1:5071" timeout 20s {{
             busy, noanswer, failed -> say "Sales is busy."; goto closed
           }}
      2, "support" -> queue support
      3 -> order
      noinput -> say "Sorry, I did not hear you."; retry
      nomatch -> say "That is not an option."; retry
      exhausted -> goto closed
    }}

  order:
    collect number "Enter your order number, then hash." digits 4..10 until "#" timeout 6s {{
      nomatch -> say "Order numbers have four to ten digits."; retry
      exhausted -> goto closed
    }}
    set known = number in ["1234", "5678"]
    say "You entered {{{{ number }}}}."
    goto closed

  closed:
    say "Please leave a message."
    record message max 2m finish "#"
    hangup
}}
"""

HEADER = """
schedule hours {
  timezone "Europe/Berlin"
  mon-fri 09:00-17:00
  holiday 2026-12-25
}
queue support { agents "sip:agent@127.0.0.1:5081" max_wait 2m }
"""


def generate(lines: int) -> str:
    parts = [HEADER]
    i = 0
    while sum(p.count("\n") for p in parts) < lines:
        parts.append(FLOW.format(i=i, number=1000 + i))
        i += 1
    return "".join(parts)


def timed(function, *args):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    text = generate(args.lines)
    parse("flow warmup { s: hangup }", "warmup")  # grammar build is a one-off, not measured
    stages: dict[str, list[float]] = {"parse": [], "compile+lint": [], "total": []}
    for _ in range(args.repeat):
        parse_time, (module, diagnostics) = timed(parse, text, "bench.dialplan")
        assert module is not None and not diagnostics, diagnostics[:3]
        compile_time, (plan, problems) = timed(compile_modules, [module], "bench.dialplan")
        assert plan is not None and not problems, problems[:3]
        stages["parse"].append(parse_time)
        stages["compile+lint"].append(compile_time)
        stages["total"].append(parse_time + compile_time)
    print(f"{text.count(chr(10))} lines, {len(plan.nodes)} nodes, {len(plan.flows)} flows")
    for stage, times in stages.items():
        print(f"{stage:>13}: median {statistics.median(times) * 1000:7.1f} ms "
              f"(min {min(times) * 1000:.1f} ms)")


if __name__ == "__main__":
    main()
