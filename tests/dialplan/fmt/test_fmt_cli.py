"""`dialplan fmt` as users and CI see it: what it writes, prints and exits with."""

from __future__ import annotations

from pathlib import Path

import pytest

from dialplan.cli.main import main
from dialplan.fmt import api

MESSY = 'route 1 -> f\nflow f {   // entry\nanswer ; hangup }\n'
CANONICAL = "route 1 -> f\n\nflow f {  // entry\n  start:\n    answer\n    hangup\n}\n"


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    path = tmp_path / "messy.dialplan"
    path.write_text(MESSY)
    return path


def test_fmt_rewrites_the_file_in_place_and_keeps_its_permissions(messy: Path) -> None:
    messy.chmod(0o640)
    assert main(["fmt", str(messy)]) == 0
    assert messy.read_text() == CANONICAL
    assert messy.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in messy.parent.iterdir()] == ["messy.dialplan"]  # no temp left


def test_check_exits_1_names_the_file_and_writes_nothing(
        messy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fmt", "--check", str(messy)]) == 1
    assert capsys.readouterr().out == f"would reformat {messy}\n"
    assert messy.read_text() == MESSY


def test_check_exits_0_when_every_file_is_canonical(
        messy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    messy.write_text(CANONICAL)
    assert main(["fmt", "--check", str(messy)]) == 0
    assert capsys.readouterr().out == ""


def test_diff_prints_a_unified_diff_and_writes_nothing(
        messy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fmt", "--diff", str(messy)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"--- {messy}\n+++ {messy}\n@@")
    assert "+    answer\n" in out and "-answer ; hangup }\n" in out
    assert messy.read_text() == MESSY


def test_a_file_starting_with_a_byte_order_mark_is_formatted_and_keeps_the_mark(
        messy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    messy.write_text("\ufeff" + MESSY, encoding="utf-8")
    assert main(["fmt", str(messy)]) == 0
    assert messy.read_text(encoding="utf-8") == "\ufeff" + CANONICAL
    assert main(["fmt", "--check", str(messy)]) == 0
    assert capsys.readouterr().out == ""


def test_a_folder_formats_every_dialplan_file_below_it(tmp_path: Path, messy: Path) -> None:
    nested = tmp_path / "sub" / "more.dialplan"
    nested.parent.mkdir()
    nested.write_text(MESSY)
    (tmp_path / "notes.txt").write_text(MESSY)
    assert main(["fmt", str(tmp_path)]) == 0
    assert messy.read_text() == nested.read_text() == CANONICAL
    assert (tmp_path / "notes.txt").read_text() == MESSY


def test_syntax_errors_are_reported_exit_1_and_leave_the_file_untouched(
        tmp_path: Path, messy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.dialplan"
    broken.write_text("flow f { say 42 }\n")
    assert main(["fmt", str(broken), str(messy)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{broken}:1:14: E102 expected a string, but found a number `42`"
    assert broken.read_text() == "flow f { say 42 }\n"
    assert messy.read_text() == CANONICAL  # the other file is still formatted


def test_a_file_that_is_not_utf8_is_a_diagnostic_exit_1(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    latin = tmp_path / "latin.dialplan"
    latin.write_bytes(b'flow f { say "caf\xe9" }')
    assert main(["fmt", str(latin)]) == 1
    assert "E203" in capsys.readouterr().out


def test_a_missing_path_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fmt", str(tmp_path / "nope.dialplan")]) == 2
    assert "no such file or directory" in capsys.readouterr().err


def test_an_unreadable_file_exits_2_and_the_others_are_still_formatted(
        tmp_path: Path, messy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "folder.dialplan").mkdir()  # found by the folder search, cannot be read
    assert main(["fmt", str(tmp_path)]) == 2
    assert "folder.dialplan: Is a directory" in capsys.readouterr().err
    assert messy.read_text() == CANONICAL


def test_a_formatter_bug_exits_2_and_leaves_the_file_untouched(
        messy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(api.Layout, "finish", lambda self: "route 2 -> f\n")
    assert main(["fmt", str(messy)]) == 2
    assert "would change the meaning" in capsys.readouterr().err
    assert messy.read_text() == MESSY
