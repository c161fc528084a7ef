"""Benchmark: `dialplan lsp` on a generated 2,000-line plan, driven over stdio by
pygls' client as an editor would.

    .venv/bin/python bench/lsp_latency.py [--lines 2000] [--keystrokes 40]

Prints p50/p95 of:
- keystroke to diagnostics: one character typed (alternately making `goto closed`
  a typo, E301, and fixing it, which brings back the plan's ~150 lint findings) until
  the server publishes the diagnostics that reflect it; this includes both ends' JSON
  (de)serialisation (each keystroke is typed once the previous one's diagnostics
  arrived, so the server's debounce never holds one back);
- completion: a completion request after `goto ` until its answer;
- the check alone, in process (what the server does per keystroke, with its parse and
  lowering caches, without the protocol), for the typo and the fixed text.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from lsprotocol import types  # noqa: E402
from parse_compile import generate  # noqa: E402

from dialplan.compiler.reuse import LoweredFlows  # noqa: E402
from dialplan.lsp.analysis import analyse  # noqa: E402
from dialplan.lsp.chunks import ParseCache  # noqa: E402
from tests.dialplan.lsp.session import Session, session, uri  # noqa: E402


def percentiles(samples: list[float]) -> str:
    cuts = statistics.quantiles(samples, n=20)
    return f"p50 {statistics.median(samples) * 1000:.1f} ms, p95 {cuts[18] * 1000:.1f} ms"


async def keystrokes(live: Session, plan: Path, line: int, column: int, count: int
                     ) -> list[float]:
    timings = []
    for n in range(count):
        typo = n % 2 == 0
        start = time.perf_counter()
        if typo:
            live.insert(plan, line, column, "x")
        else:
            live.delete(plan, line, column, 1)
        await live.diagnostics(plan, until=lambda found, typo=typo: any(
            d.code == "E301" for d in found) == typo)
        timings.append(time.perf_counter() - start)
    return timings


async def completions(live: Session, plan: Path, line: int, count: int) -> list[float]:
    live.insert(plan, line, 0, "    goto \n")
    timings = []
    for _ in range(count):
        start = time.perf_counter()
        found = await live.client.text_document_completion_async(types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri(plan)),
            position=types.Position(line=line, character=len("    goto "))))
        timings.append(time.perf_counter() - start)
        assert isinstance(found, types.CompletionList) and found.items
    return timings


def checks(plan: Path, text: str, line: int, count: int) -> tuple[list[float], list[float]]:
    rows = text.split("\n")
    rows[line] += "x"
    typo, cache, lowered = "\n".join(rows), ParseCache(), LoweredFlows()
    path = str(plan.resolve())
    analyse(path, {path: text}, cache, lowered)
    timings: tuple[list[float], list[float]] = ([], [])
    for n in range(2 * count):
        start = time.perf_counter()
        analyse(path, {path: typo if n % 2 == 0 else text}, cache, lowered)
        timings[n % 2].append(time.perf_counter() - start)
    return timings


async def run(lines: int, count: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        plan = Path(folder) / "bench.dialplan"
        text = generate(lines)
        plan.write_text(text)
        rows = text.split("\n")
        line = max(i for i, row in enumerate(rows) if row.strip() == "goto closed")
        async with session(Path(folder)) as live:
            live.open(plan)
            await live.diagnostics(plan)
            typed = await keystrokes(live, plan, line, len(rows[line]), 2 * count)
            asked = await completions(live, plan, line + 1, count)
            typo_check, fixed_check = checks(plan, text, line, count)
        print(f"plan: {len(rows)} lines")
        print(f"keystroke to diagnostics, typo typed: {percentiles(typed[0::2])}")
        print(f"keystroke to diagnostics, typo fixed: {percentiles(typed[1::2])}")
        print(f"keystroke to diagnostics, all: {percentiles(typed)} ({2 * count} keystrokes)")
        print(f"completion after `goto `: {percentiles(asked)} ({count} requests)")
        print(f"check alone, typo: {percentiles(typo_check)}; "
              f"fixed: {percentiles(fixed_check)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=2000)
    parser.add_argument("--keystrokes", type=int, default=40)
    args = parser.parse_args()
    asyncio.run(run(args.lines, args.keystrokes))


if __name__ == "__main__":
    main()
