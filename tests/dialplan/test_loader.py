"""Files, includes, roots: what reading a tree of dialplan files reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from dialplan.build import build_file, build_paths

FLOW = "flow main { s: hangup }\n"


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(path: Path, text: str | bytes) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return str(path.relative_to(Path.cwd()))


def messages(build) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    return [(d.code, str(d.span), d.message) for d in build.diagnostics]


def test_missing_include_is_reported_at_the_include(tree: Path) -> None:
    root = write(tree / "a.dialplan", 'include "nowhere.dialplan"\n' + FLOW)
    assert messages(build_file(root)) == [
        ("E201", "a.dialplan:1:9", "cannot read nowhere.dialplan: No such file or directory")]


def test_include_cycle_is_reported_with_the_whole_cycle(tree: Path) -> None:
    write(tree / "a.dialplan", 'include "lib/b.dialplan"\n' + FLOW)
    write(tree / "lib/b.dialplan", 'include "../a.dialplan"\n')
    assert messages(build_file("a.dialplan")) == [
        ("E202", "lib/b.dialplan:1:1",
         "include cycle: a.dialplan -> lib/b.dialplan -> a.dialplan")]


def test_file_that_is_not_utf8_is_reported(tree: Path) -> None:
    root = write(tree / "bad.dialplan", b"flow main { s: say \"caf\xe9\" }")
    assert messages(build_file(root)) == [
        ("E203", "bad.dialplan:1:1", "bad.dialplan is not valid UTF-8 (byte 23)")]


def test_includes_resolve_relative_to_the_including_file(tree: Path) -> None:
    write(tree / "plans/main.dialplan", 'include "shared/lib.dialplan"\nroute 1 -> main\n'
          "flow main { s: run helper }\n")
    write(tree / "plans/shared/lib.dialplan", "flow helper { s: return }\n")
    build = build_file("plans/main.dialplan")
    assert build.ok, messages(build)
    assert [f.name for f in build.plan.flows] == ["main", "helper"]  # type: ignore[union-attr]


def test_a_file_included_twice_is_read_once(tree: Path) -> None:
    write(tree / "main.dialplan", 'include "a.dialplan"\ninclude "b.dialplan"\n' + FLOW)
    write(tree / "a.dialplan", 'include "common.dialplan"\n')
    write(tree / "b.dialplan", 'include "common.dialplan"\n')
    write(tree / "common.dialplan", "flow shared { s: return }\n")
    assert build_file("main.dialplan").ok


def test_duplicate_names_across_files_name_both_places(tree: Path) -> None:
    write(tree / "main.dialplan", 'include "other.dialplan"\n' + FLOW)
    write(tree / "other.dialplan", FLOW)
    assert messages(build_file("main.dialplan")) == [
        ("E306", "other.dialplan:1:6",
         "duplicate flow `main` (first defined at main.dialplan:2:6)")]


def test_folders_compile_each_root_once_with_its_includes(tree: Path) -> None:
    write(tree / "plans/one.dialplan", 'include "lib/shared.dialplan"\n' + FLOW)
    write(tree / "plans/two.dialplan", FLOW)
    write(tree / "plans/lib/shared.dialplan", "flow helper { s: return }\n")
    builds = build_paths(["plans"])
    assert sorted(b.root for b in builds) == ["plans/one.dialplan", "plans/two.dialplan"]
    assert all(b.ok for b in builds)


def test_syntax_errors_in_an_include_stop_the_plan(tree: Path) -> None:
    write(tree / "main.dialplan", 'include "broken.dialplan"\n' + FLOW)
    write(tree / "broken.dialplan", "flow helper { s: say }\n")
    build = build_file("main.dialplan")
    assert build.plan is None
    assert [d.code for d in build.diagnostics] == ["E102"]


def test_a_file_that_includes_itself_is_an_include_cycle_and_still_checked(tree: Path) -> None:
    write(tree / "plans/self.dialplan",
          'include "self.dialplan"\nroute 1 -> main\nflow main { s: goto nowhere }\n')
    for build in (build_paths(["plans"]), build_paths(["plans/self.dialplan"])):
        assert [b.root for b in build] == ["plans/self.dialplan"]
        assert [(code, where) for code, where, _ in messages(build[0])] == [
            ("E202", "plans/self.dialplan:1:1"), ("E301", "plans/self.dialplan:3:21")]
        assert build[0].plan is None


def test_two_files_including_each_other_are_a_cycle_named_at_the_include(tree: Path) -> None:
    write(tree / "plans/a.dialplan",
          'include "b.dialplan"\nroute 1 -> main\nflow main { s: goto nowhere }\n')
    write(tree / "plans/b.dialplan", 'include "a.dialplan"\nflow other { s: hangup }\n')
    builds = build_paths(["plans"])
    assert [b.root for b in builds] == ["plans/a.dialplan"]
    assert [(code, where, message) for code, where, message in messages(builds[0])] == [
        ("E301", "plans/a.dialplan:3:21", "undefined state `nowhere` in flow `main`"),
        ("E202", "plans/b.dialplan:1:1",
         "include cycle: plans/a.dialplan -> plans/b.dialplan -> plans/a.dialplan")]


def test_a_cycle_below_a_root_is_reported_once_from_the_root(tree: Path) -> None:
    write(tree / "plans/main.dialplan", 'include "a.dialplan"\n' + FLOW)
    write(tree / "plans/a.dialplan", 'include "b.dialplan"\n')
    write(tree / "plans/b.dialplan", 'include "a.dialplan"\n')
    builds = build_paths(["plans"])
    assert [b.root for b in builds] == ["plans/main.dialplan"]
    assert [code for code, _, _ in messages(builds[0])] == ["E202"]


def test_a_utf8_byte_order_mark_is_accepted_and_columns_stay_right(tree: Path) -> None:
    root = write(tree / "bom.dialplan",
                 b'\xef\xbb\xbfroute 1 -> main\nflow main { s: goto nowhere }\n')
    build = build_file(root)
    assert [(code, where) for code, where, _ in messages(build)] == [
        ("E301", "bom.dialplan:2:21")]
    bom_first = write(tree / "col.dialplan", b'\xef\xbb\xbfflow main { s: say 42 }\n')
    assert [where for _, where, _ in messages(build_file(bom_first))] == ["col.dialplan:1:20"]
