"""Diagnostics as you type, over a real stdio session: the same codes and positions as
`dialplan lint`, and a server that survives whatever text it is given."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import sys
from pathlib import Path

from lsprotocol import types

from .session import ROOT, Session, session, uri

EXAMPLE = ROOT / "examples" / "dialplans" / "main_menu.dialplan"


def _lint_json(path: Path) -> list[tuple[str, int, int, int, int]]:
    result = subprocess.run([sys.executable, "-m", "dialplan", "lint", "--format", "json",
                             str(path)], capture_output=True, text=True, cwd=ROOT)
    found = json.loads(result.stdout)
    return sorted((d["code"], d["line"], d["column"], d["end_line"], d["end_column"])
                  for d in found)


def _codes(found: list[types.Diagnostic]) -> list[tuple[str, int, int, int, int]]:
    return sorted((str(d.code), d.range.start.line + 1, d.range.start.character + 1,
                   d.range.end.line + 1, d.range.end.character + 1) for d in found)


async def _answers(live: Session, path: Path) -> None:
    """The server still answers a request after whatever it was given."""
    symbols = live.client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri(path))))
    await asyncio.wait_for(symbols, 20)


def test_a_typo_typed_in_a_goto_is_reported_at_its_position(tmp_path: Path) -> None:
    plan = tmp_path / "plan.dialplan"
    shutil.copy(EXAMPLE, plan)

    async def scenario() -> list[types.Diagnostic]:
        async with session(tmp_path) as live:
            live.open(plan)
            assert await live.diagnostics(plan) == []
            # line 25 is "    goto menu": type one more `u`
            live.insert(plan, 24, len("    goto menu"), "u")
            return await live.diagnostics(plan, until=bool)

    found = asyncio.run(scenario())
    assert [(d.code, d.range.start.line, d.range.start.character, d.range.end.character)
            for d in found] == [("E301", 24, 9, 14)]
    assert "did you mean `menu`?" in found[0].message


def test_fast_typing_is_checked_once_it_pauses_and_ends_on_the_last_text(
        tmp_path: Path) -> None:
    plan = tmp_path / "plan.dialplan"
    shutil.copy(EXAMPLE, plan)
    typed = "goto nowhere"

    async def scenario() -> tuple[list[types.Diagnostic], int]:
        async with session(tmp_path) as live:
            live.open(plan)
            await live.diagnostics(plan)
            before = live.publishes[uri(plan)]
            live.insert(plan, 24, 0, "    \n")  # a new line after `say ...` in `welcome:`
            for column, char in enumerate(typed, start=4):  # one keystroke at a time
                live.insert(plan, 24, column, char)
            found = await live.diagnostics(
                plan, until=lambda found: any(d.code == "E301" for d in found))
            return found, live.publishes[uri(plan)] - before

    found, checks = asyncio.run(scenario())
    assert checks < len(typed)  # debounced: not one check per keystroke
    assert [(d.code, d.range.start.line, d.range.start.character) for d in found] == [
        ("E301", 24, 9)]
    assert "`nowhere`" in found[0].message


def test_unsaved_text_gives_the_codes_and_positions_lint_gives_on_disk(tmp_path: Path) -> None:
    plan = tmp_path / "plan.dialplan"
    broken = EXAMPLE.read_text().replace("goto closed", "goto closd").replace(
        "timeout 6s", "timout 6s").replace("record message", "record")
    plan.write_text(broken)
    expected = _lint_json(plan)
    plan.write_text(EXAMPLE.read_text())  # on disk: clean; in the editor: broken

    async def scenario() -> list[types.Diagnostic]:
        async with session(tmp_path) as live:
            live.open(plan)
            await live.diagnostics(plan)
            live.replace(plan, broken)
            return await live.diagnostics(plan, until=bool)

    assert expected and _codes(asyncio.run(scenario())) == expected


def test_an_unsaved_included_file_is_checked_through_its_includer(tmp_path: Path) -> None:
    main, shared = tmp_path / "main.dialplan", tmp_path / "shared.dialplan"
    main.write_text('include "shared.dialplan"\nroute 1 -> main\nflow main {\n'
                    '  start:\n    answer\n    run helper\n    hangup\n}\n')
    shared.write_text("flow helper {\n  start:\n    say \"hi\"\n    return\n}\n")

    async def scenario() -> list[types.Diagnostic]:
        async with session(tmp_path) as live:
            live.open(main)
            live.open(shared)
            assert await live.diagnostics(main) == []
            live.replace(shared, shared.read_text().replace("helper", "helpers"))
            return await live.diagnostics(main, until=bool)

    assert [d.code for d in asyncio.run(scenario())] == ["E302"]


def test_the_server_answers_after_half_typed_binary_huge_and_cyclic_files(
        tmp_path: Path) -> None:
    half = tmp_path / "half.dialplan"
    binary = tmp_path / "binary.dialplan"
    huge = tmp_path / "huge.dialplan"
    first, second = tmp_path / "a.dialplan", tmp_path / "b.dialplan"
    texts = {
        half: 'flow main {\n  start:\n    menu "Press 1" timeout {\n      1 -> goto',
        binary: bytes(range(256)).decode("latin-1") * 8,
        huge: "// padding\n" * (1024 * 1024 // 11) + "flow main {\n  start:\n    hangup\n}\n",
        first: 'include "b.dialplan"\nflow one {\n  start:\n    hangup\n}\n',
        second: 'include "a.dialplan"\nflow two {\n  start:\n    hangup\n}\n',
    }

    async def scenario() -> dict[Path, list[types.Diagnostic]]:
        async with session(tmp_path) as live:
            found = {}
            for path, text in texts.items():
                live.open(path, text)
                await _answers(live, path)
                found[path] = await live.diagnostics(path)
            found[first] = await live.diagnostics(
                first, until=lambda found: any(d.code == "E202" for d in found))
            return found

    found = asyncio.run(scenario())
    assert found[half] and found[half][0].code.startswith("E1")
    assert found[binary] and found[binary][0].code.startswith("E1")
    assert found[huge] == [] or all(d.code.startswith("L") for d in found[huge])
    assert [d.range.start.line for d in found[first] if d.code == "E202"] == [0]
