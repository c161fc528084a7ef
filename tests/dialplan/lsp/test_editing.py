"""Completion, hover, formatting and quick fixes over a real stdio session."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from lsprotocol import types

from .session import ROOT, Session, session, uri

EXAMPLE = ROOT / "examples" / "dialplans" / "main_menu.dialplan"


def _doc(path: Path) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri(path))


async def _complete(live: Session, path: Path, line: int, character: int) -> list[str]:
    found = await live.client.text_document_completion_async(types.CompletionParams(
        text_document=_doc(path), position=types.Position(line=line, character=character)))
    assert isinstance(found, types.CompletionList)
    return [item.label for item in found.items]


def _example(folder: Path) -> Path:
    plan = folder / "plan.dialplan"
    shutil.copy(EXAMPLE, plan)
    return plan


def test_completion_after_goto_lists_the_states_of_the_flow(tmp_path: Path) -> None:
    plan = _example(tmp_path)

    async def scenario() -> list[str]:
        async with session(tmp_path) as live:
            live.open(plan)
            await live.diagnostics(plan)
            live.insert(plan, 25, 0, "    goto \n")  # a new line after "goto menu"
            return await _complete(live, plan, 25, len("    goto "))

    labels = asyncio.run(scenario())
    assert labels[:5] == ["closed", "menu", "start", "voicemail", "welcome"]
    assert "reception" in labels


def test_completion_offers_options_keywords_and_variables_by_context(tmp_path: Path) -> None:
    plan = _example(tmp_path)

    async def scenario() -> tuple[list[str], list[str], list[str]]:
        async with session(tmp_path) as live:
            live.open(plan)
            await live.diagnostics(plan)
            record = await _complete(live, plan, 49, len("    record message max 2m "))
            keywords = await _complete(live, plan, 51, len("    "))
            live.insert(plan, 23, len('    say "Thank you for calling '), "{{ ")
            variables = await _complete(live, plan, 23, len('    say "Thank you for calling {{ '))
            return record, keywords, variables

    record, keywords, variables = asyncio.run(scenario())
    assert record == ["finish", "beep"]  # `max` is written before the cursor already
    assert {"answer", "menu", "goto", "hangup"} <= set(keywords)
    assert variables == ["company", "message"]


def test_hover_explains_the_code_under_the_cursor_and_documents_statements(
        tmp_path: Path) -> None:
    plan = _example(tmp_path)
    broken = plan.read_text().replace("goto closed", "goto closd")

    async def scenario() -> tuple[types.Hover | None, types.Hover | None]:
        async with session(tmp_path) as live:
            live.open(plan, broken)
            await live.diagnostics(plan, until=bool)
            on_code = await live.client.text_document_hover_async(types.HoverParams(
                text_document=_doc(plan), position=types.Position(line=19, character=13)))
            on_say = await live.client.text_document_hover_async(types.HoverParams(
                text_document=_doc(plan), position=types.Position(line=23, character=5)))
            return on_code, on_say

    on_code, on_say = asyncio.run(scenario())
    assert on_code is not None and isinstance(on_code.contents, types.MarkupContent)
    assert "E301" in on_code.contents.value
    assert on_say is not None and isinstance(on_say.contents, types.MarkupContent)
    assert "### say" in on_say.contents.value and "`rate`" in on_say.contents.value


def test_formatting_returns_what_dialplan_fmt_writes(tmp_path: Path) -> None:
    plan = tmp_path / "plan.dialplan"
    messy = 'route 1->main\nflow main{\nstart:\n answer\n    hangup\n}\n'

    async def scenario() -> object:
        async with session(tmp_path) as live:
            live.open(plan, messy)
            await live.diagnostics(plan)
            return await live.client.text_document_formatting_async(
                types.DocumentFormattingParams(text_document=_doc(plan), options=(
                    types.FormattingOptions(tab_size=2, insert_spaces=True))))

    edits = asyncio.run(scenario())
    assert isinstance(edits, tuple | list) and len(edits) == 1
    assert edits[0].new_text == ("route 1 -> main\n\nflow main {\n  start:\n    answer\n"
                                 "    hangup\n}\n")


def test_each_did_you_mean_becomes_a_quick_fix_on_the_misspelled_word(tmp_path: Path) -> None:
    plan = _example(tmp_path)
    broken = plan.read_text().replace("goto closed", "goto closd").replace(
        "during office_hours", "during office_hour").replace("timeout 6s", "timout 6s")

    async def scenario() -> object:
        async with session(tmp_path) as live:
            live.open(plan, broken)
            found = await live.diagnostics(plan, until=bool)
            return await live.client.text_document_code_action_async(types.CodeActionParams(
                text_document=_doc(plan), range=types.Range(
                    start=types.Position(line=0, character=0),
                    end=types.Position(line=60, character=0)),
                context=types.CodeActionContext(diagnostics=found)))

    actions = asyncio.run(scenario())
    assert isinstance(actions, tuple | list)
    fixes = []
    for action in actions:
        assert action.edit is not None and action.edit.changes is not None
        (edit,) = action.edit.changes[uri(plan)]
        fixes.append((edit.range.start.line, edit.range.start.character,
                      edit.range.end.character, edit.new_text))
    assert sorted(fixes) == [(16, 14, 25, "office_hours"), (19, 11, 16, "closed"),
                             (27, 108, 114, "timeout")]
