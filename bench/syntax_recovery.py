"""Benchmark: syntax-error recovery on junk, the input an editor integration sends while
someone types (or an attacker sends on purpose).

    .venv/bin/python bench/syntax_recovery.py [--repeat 3]

Figures on the shared 2-core development machine, median of 3:
    before (lark's accepts() and parser copies per candidate token, no step limit):
        5 KB one-line token soup 3.98 s (quadratic: 2 KB 0.50 s); 1 MB of `/* ` 337 s
    after (recovery.py asks the parse table; at most 1000 recovery steps; an unclosed
    `/*` is one token), each of the cases below 0.02-0.4 s; without the step limit
    recovery is linear at about 20 us per byte of junk (200 KB: 4.2 s).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from dialplan.syntax.grammar import tree_parser
from dialplan.syntax.parser import parse

TOKENS = ["route", "flow", "{", "}", "->", ":", ";", '"x"', "menu", "1", "5s", "say", "goto",
          "if", "else", "elif", "set", "=", "==", "(", ")", "[", "]", ",", "..", "noinput",
          "retry", "a:", "hangup", "_1XX", "during", "queue", "x", "$"]


def soup(size: int, newlines: bool) -> str:
    pick = random.Random(1).choice
    tokens = [*TOKENS, "\n"] if newlines else TOKENS
    return " ".join(pick(tokens) for _ in range(size // 3))[:size]


def cases() -> dict[str, str]:
    megabyte = 1_000_000
    return {
        "5 KB one-line token soup": soup(5_000, newlines=False),
        "1 MB one-line token soup": soup(megabyte, newlines=False),
        "1 MB token soup with newlines": soup(megabyte, newlines=True),
        "1 MB of `/* `": "/* " * (megabyte // 3),
        '1 MB of `"`': '"' * megabyte,
        "1 MB of `$`": "$" * megabyte,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    tree_parser()  # grammar build: a one-off, not measured
    for label, text in cases().items():
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            _, diagnostics = parse(text, "junk.dialplan")
            times.append(time.perf_counter() - start)
        print(f"{label}: median {statistics.median(times):.3f} s "
              f"(min {min(times):.3f} s), {len(diagnostics)} diagnostics")


if __name__ == "__main__":
    main()
