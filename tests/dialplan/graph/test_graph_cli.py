"""`dialplan graph` as users see it: formats by suffix, exit codes, a missing Graphviz."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from dialplan.cli.main import main
from dialplan.graph import svg
from tests.dialplan.graph.conftest import ROOT

DEMO = str(ROOT / "examples" / "dialplans" / "demo.dialplan")


def test_dot_goes_to_stdout_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", DEMO]) == 0
    assert capsys.readouterr().out.startswith("digraph dialplan {")


def test_the_output_suffix_picks_mermaid(tmp_path: Path) -> None:
    out = tmp_path / "demo.mmd"
    assert main(["graph", DEMO, "-o", str(out)]) == 0
    assert out.read_text().startswith("flowchart TD\n")


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_the_svg_suffix_renders_through_graphviz(tmp_path: Path) -> None:
    out = tmp_path / "demo.svg"
    assert main(["graph", DEMO, "-o", str(out)]) == 0
    assert ElementTree.parse(out).getroot().tag == "{http://www.w3.org/2000/svg}svg"


def test_format_overrides_the_suffix(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", DEMO, "--format", "mmd"]) == 0
    assert capsys.readouterr().out.startswith("flowchart TD")


def test_an_unknown_suffix_is_a_usage_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", DEMO, "-o", str(tmp_path / "demo.png")]) == 2
    assert "cannot tell the format" in capsys.readouterr().err


def test_a_missing_graphviz_is_a_clear_error_exit_2(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(svg.shutil, "which", lambda name: None)
    assert main(["graph", DEMO, "-o", str(tmp_path / "demo.svg")]) == 2
    assert "apt-get install graphviz" in capsys.readouterr().err
    assert not (tmp_path / "demo.svg").exists()


def test_a_plan_with_errors_is_reported_and_exits_1(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.dialplan"
    broken.write_text("route 1 -> f\nflow f { goto nowhere }\n")
    assert main(["graph", str(broken)]) == 1
    assert "E301" in capsys.readouterr().out


def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    assert main(["graph", str(tmp_path / "nope.dialplan")]) == 2


def test_an_unwritable_output_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", DEMO, "-o", str(tmp_path / "no" / "such" / "demo.dot")]) == 2
    assert "No such file or directory" in capsys.readouterr().err
