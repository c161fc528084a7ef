"""DOT to SVG through Graphviz's `dot` program (Debian package `graphviz`)."""

from __future__ import annotations

import shutil
import subprocess

TIMEOUT = 60.0  # seconds; plans of thousands of nodes lay out in well under that


class GraphvizError(Exception):
    """`dot` is missing or failed: a tool problem, not a problem of the plan."""


def render_svg(dot_text: str) -> str:
    program = shutil.which("dot")
    if program is None:
        raise GraphvizError("the Graphviz `dot` program is not installed "
                            "(Debian: apt-get install graphviz); write .dot or .mmd instead")
    try:
        done = subprocess.run([program, "-Tsvg"], input=dot_text.encode("utf-8"),
                              capture_output=True, timeout=TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise GraphvizError(f"running `dot` failed: {error}") from error
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise GraphvizError(f"`dot` failed: {message}")
    return done.stdout.decode("utf-8")
