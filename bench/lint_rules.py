"""Benchmark: `dialplan lint` end to end (read, parse, compile, every lint rule) on the
shipped examples and on a generated 10,000-line plan.

    .venv/bin/python bench/lint_rules.py [--lines 10000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from parse_compile import generate  # bench/ is the script's folder, so on sys.path

from dialplan.build import build_paths
from dialplan.lint.config import LintConfig
from dialplan.lint.run import lint
from dialplan.loader import Sources

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "dialplans"


def lint_paths(paths: list[str]) -> tuple[float, int]:
    start = time.perf_counter()
    sources = Sources()
    diagnostics = lint(build_paths(paths, sources), LintConfig(), sources.texts)
    return time.perf_counter() - start, len(diagnostics)


def report(label: str, paths: list[str], repeat: int) -> None:
    runs = [lint_paths(paths) for _ in range(repeat)]
    times = [t for t, _ in runs]
    print(f"{label}: median {statistics.median(times) * 1000:.1f} ms "
          f"(min {min(times) * 1000:.1f} ms), {runs[0][1]} findings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    lint_paths([str(EXAMPLES / "demo.dialplan")])  # grammar build: a one-off, not measured
    report("examples (8 files)", [str(EXAMPLES)], args.repeat)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated.dialplan"
        path.write_text(generate(args.lines))
        report(f"generated {args.lines}-line plan", [str(path)], args.repeat)


if __name__ == "__main__":
    main()
