"""L705/L706 against a real directory: the one dialplan.toml `[directory]` names, read
without creating, migrating or writing anything; silent when there is none; shown by
the language server as by `dialplan lint`, with L705's suggestion as a quick fix."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import pytest
from lsprotocol import types

from dialplan.cli.main import main
from dialplan.directory import Extension, open_directory, upgrade
from dialplan.directory.database import sqlite_url
from dialplan.lint.config import ConfigError, load_config

from ..lsp.session import session, uri

PLAN = """\
route 0 -> operator
route _2XX -> office

flow operator {
  start:
    dial extension "250" timeout 20s
    hangup
}

flow office {
  start:
    answer
    say "Nobody is here."
    hangup
}
"""


def _directory(folder: Path, *numbers: str) -> Path:
    database = folder / "var" / "dialplan.db"
    upgrade(sqlite_url(database))
    directory = open_directory(sqlite_url(database))
    for number in numbers:
        directory.add(Extension(number), "a-long-password")
    directory.close()
    return database


def _lint(folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict]]:
    code = main(["lint", "--format", "json", str(folder / "office.dialplan")])
    return code, json.loads(capsys.readouterr().out)


def test_the_configured_directory_drives_both_rules(tmp_path, capsys) -> None:
    (tmp_path / "dialplan.toml").write_text("[directory]\nrealm = \"office\"\n")
    (tmp_path / "office.dialplan").write_text(PLAN)
    _directory(tmp_path, "201", "202", "205")
    code, found = _lint(tmp_path, capsys)
    assert code == 1
    assert sorted((d["code"], d["line"]) for d in found) == [("L705", 6), ("L706", 2)]
    by_code = {d["code"]: d for d in found}
    assert "did you mean `205`?" in by_code["L705"]["hint"]
    assert ("route `_2XX` takes the calls for extension 201, 202, 205 to `office`"
            in by_code["L706"]["message"])


def test_without_a_directory_the_rules_are_silent_and_nothing_is_created(
        tmp_path, capsys) -> None:
    (tmp_path / "dialplan.toml").write_text("[lint]\nignore = []\n")
    (tmp_path / "office.dialplan").write_text(PLAN)
    code, found = _lint(tmp_path, capsys)
    assert (code, found) == (0, [])
    assert not (tmp_path / "var").exists()


def test_a_directory_is_only_read(tmp_path: Path) -> None:
    (tmp_path / "dialplan.toml").write_text("")
    database = _directory(tmp_path, "201")
    before = database.read_bytes(), database.stat().st_mtime_ns
    os.chmod(database, 0o400)  # a writer would fail; a reader does not care
    assert load_config(tmp_path / "dialplan.toml").extensions == {"201"}
    assert (database.read_bytes(), database.stat().st_mtime_ns) == before  # WAL's -shm aside


def test_a_database_without_the_schema_is_no_directory(tmp_path: Path) -> None:
    (tmp_path / "dialplan.toml").write_text("")
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "dialplan.db").write_bytes(b"")
    assert load_config(tmp_path / "dialplan.toml").extensions is None


def test_an_unreachable_postgresql_is_no_directory_within_its_timeout(tmp_path) -> None:
    (tmp_path / "dialplan.toml").write_text(
        '[directory]\nurl = "postgresql://pbx@127.0.0.1:9/pbx"\n')
    assert load_config(tmp_path / "dialplan.toml").extensions is None


def test_a_malformed_directory_table_is_a_configuration_error(tmp_path: Path) -> None:
    (tmp_path / "dialplan.toml").write_text('[directory]\nurl = "mysql://x/y"\n')
    with pytest.raises(ConfigError, match="mysql"):
        load_config(tmp_path / "dialplan.toml")


def test_the_language_server_shows_them_with_l705s_suggestion_as_a_fix(tmp_path) -> None:
    (tmp_path / "dialplan.toml").write_text("")
    plan = tmp_path / "office.dialplan"
    plan.write_text(PLAN)
    _directory(tmp_path, "201", "205")

    async def scenario() -> tuple[list[types.Diagnostic], list]:
        async with session(tmp_path) as live:
            live.open(plan)
            found = await live.diagnostics(plan, until=lambda d: len(d) == 2)
            l705 = next(d for d in found if d.code == "L705")
            actions = await live.client.text_document_code_action_async(
                types.CodeActionParams(
                    text_document=types.TextDocumentIdentifier(uri=uri(plan)),
                    range=l705.range, context=types.CodeActionContext(diagnostics=[l705])))
            return found, actions or []

    found, actions = asyncio.run(scenario())
    assert sorted(str(d.code) for d in found) == ["L705", "L706"]
    edits = [e for a in actions for e in (a.edit.changes or {}).values()]
    assert [[edit.new_text for edit in each] for each in edits] == [["205"]]
