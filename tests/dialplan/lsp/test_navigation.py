"""Outline, go to definition, find references and rename over a real stdio session,
across a plan and the file it includes."""

from __future__ import annotations

import asyncio
from pathlib import Path

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams

from .session import Session, session, uri

MAIN = """include "shared.dialplan"

route 1 -> main

flow main {
  start:
    answer
    goto shared.closing
}
"""
SHARED = """flow shared {
  start:
    say "hello"
    goto closing

  closing:
    hangup
}
"""


def _plan(folder: Path) -> tuple[Path, Path]:
    main, shared = folder / "main.dialplan", folder / "shared.dialplan"
    main.write_text(MAIN)
    shared.write_text(SHARED)
    return main, shared


def _at(path: Path, line: int, character: int) -> dict[str, object]:
    return {"text_document": types.TextDocumentIdentifier(uri=uri(path)),
            "position": types.Position(line=line, character=character)}


async def _opened(live: Session, *paths: Path) -> None:
    for path in paths:
        live.open(path)
        await live.diagnostics(path)


def test_renaming_a_state_edits_both_included_files(tmp_path: Path) -> None:
    main, shared = _plan(tmp_path)

    async def scenario() -> types.WorkspaceEdit | None:
        async with session(tmp_path) as live:
            await _opened(live, main, shared)
            return await live.client.text_document_rename_async(types.RenameParams(
                **_at(main, 7, 18), new_name="goodbye"))  # on `closing` in main

    edit = asyncio.run(scenario())
    assert edit is not None and edit.changes is not None
    where = {key: sorted((e.range.start.line, e.range.start.character, e.new_text)
                         for e in edits) for key, edits in edit.changes.items()}
    assert where == {uri(main): [(7, 16, "goodbye")],
                     uri(shared): [(3, 9, "goodbye"), (5, 2, "goodbye")]}


def test_definition_and_references_cross_the_include(tmp_path: Path) -> None:
    main, shared = _plan(tmp_path)

    async def scenario() -> tuple[object, object]:
        async with session(tmp_path) as live:
            await _opened(live, main, shared)
            found = await live.client.text_document_definition_async(
                types.DefinitionParams(**_at(main, 7, 10)))  # on `shared` in main
            refs = await live.client.text_document_references_async(types.ReferenceParams(
                **_at(shared, 5, 4), context=types.ReferenceContext(include_declaration=False)))
            return found, refs

    found, refs = asyncio.run(scenario())
    assert isinstance(found, tuple | list) and isinstance(refs, tuple | list)
    assert [(f.uri, f.range.start.line, f.range.start.character) for f in found] == [
        (uri(shared), 0, 5)]
    assert sorted((r.uri, r.range.start.line) for r in refs) == sorted(
        [(uri(main), 7), (uri(shared), 3)])


def test_the_outline_lists_flows_with_their_states_queues_and_schedules(
        tmp_path: Path) -> None:
    plan = tmp_path / "plan.dialplan"
    plan.write_text('schedule hours {\n  mon-fri 09:00-17:00\n}\n\nqueue sales {\n'
                    '  max_wait 2m\n}\n\n' + SHARED)

    async def scenario() -> object:
        async with session(tmp_path) as live:
            await _opened(live, plan)
            return await live.client.text_document_document_symbol_async(
                types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(
                    uri=uri(plan))))

    symbols = asyncio.run(scenario())
    assert isinstance(symbols, tuple | list)
    assert [(s.name, s.kind, [c.name for c in s.children or ()]) for s in symbols] == [
        ("hours", types.SymbolKind.Event, []), ("sales", types.SymbolKind.Struct, []),
        ("shared", types.SymbolKind.Module, ["start", "closing"])]


def test_renaming_to_something_that_is_not_a_name_is_refused(tmp_path: Path) -> None:
    main, shared = _plan(tmp_path)

    async def scenario() -> str:
        async with session(tmp_path) as live:
            await _opened(live, main, shared)
            try:
                await live.client.text_document_rename_async(types.RenameParams(
                    **_at(main, 7, 18), new_name="good bye"))
            except JsonRpcInvalidParams as error:
                return str(error)
            return "accepted"

    assert "not a valid name" in asyncio.run(scenario())


def test_renaming_in_an_included_file_reaches_its_includer_on_disk(tmp_path: Path) -> None:
    main, shared = _plan(tmp_path)

    async def scenario() -> types.WorkspaceEdit | None:
        async with session(tmp_path) as live:
            await _opened(live, shared)  # main.dialplan stays closed
            return await live.client.text_document_rename_async(types.RenameParams(
                **_at(shared, 5, 3), new_name="goodbye"))  # on the `closing:` label

    edit = asyncio.run(scenario())
    assert edit is not None and edit.changes is not None
    assert {key: len(edits) for key, edits in edit.changes.items()} == {
        uri(main): 1, uri(shared): 2}
