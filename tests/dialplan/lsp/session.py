"""A real LSP session for tests: pygls' client starts `python -m dialplan lsp` over
stdio, and the test opens, edits and asks as an editor would."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

ROOT = Path(__file__).resolve().parents[3]
TIMEOUT = 20.0


def uri(path: Path) -> str:
    return from_fs_path(str(path.resolve())) or str(path)


class Session:
    """One server process and what it published, with helpers that wait on conditions."""

    def __init__(self, client: LanguageClient) -> None:
        self.client = client
        self.published: dict[str, list[types.Diagnostic]] = {}
        self.publishes: dict[str, int] = {}  # how many times each document's were sent
        self.versions: dict[str, int] = {}
        self._news = asyncio.Condition()

        @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        async def published(params: types.PublishDiagnosticsParams) -> None:
            async with self._news:
                self.published[params.uri] = list(params.diagnostics)
                self.publishes[params.uri] = self.publishes.get(params.uri, 0) + 1
                self._news.notify_all()

    async def diagnostics(self, path: Path, until: Callable[[list[types.Diagnostic]], bool]
                          = lambda found: True) -> list[types.Diagnostic]:
        """The next diagnostics published for `path` that satisfy `until`."""
        key = uri(path)

        def ready() -> bool:
            return key in self.published and until(self.published[key])

        async with self._news:
            await asyncio.wait_for(self._news.wait_for(ready), TIMEOUT)
            return self.published[key]

    def open(self, path: Path, text: str | None = None) -> None:
        text = path.read_text() if text is None else text
        self.versions[uri(path)] = 1
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri(path), language_id="dialplan",
                                                 version=1, text=text)))

    def replace(self, path: Path, text: str) -> None:
        """An edit that replaces the whole text (as some editors send every change)."""
        key = uri(path)
        self.versions[key] += 1
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=self._identifier(key),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))

    def insert(self, path: Path, line: int, character: int, text: str) -> None:
        """An incremental edit: `text` typed at a 0-based position."""
        key = uri(path)
        self.versions[key] += 1
        at = types.Position(line=line, character=character)
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=self._identifier(key),
            content_changes=[types.TextDocumentContentChangePartial(
                range=types.Range(start=at, end=at), text=text)]))

    def delete(self, path: Path, line: int, character: int, count: int) -> None:
        """An incremental edit: `count` characters deleted at a 0-based position."""
        key = uri(path)
        self.versions[key] += 1
        start = types.Position(line=line, character=character)
        end = types.Position(line=line, character=character + count)
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=self._identifier(key),
            content_changes=[types.TextDocumentContentChangePartial(
                range=types.Range(start=start, end=end), text="")]))

    def _identifier(self, key: str) -> types.VersionedTextDocumentIdentifier:
        return types.VersionedTextDocumentIdentifier(uri=key, version=self.versions[key])


@asynccontextmanager
async def session(cwd: Path = ROOT) -> AsyncIterator[Session]:
    client = LanguageClient("dialplan-tests", "1")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    await client.start_io(sys.executable, "-m", "dialplan", "lsp", env=env, cwd=str(cwd))
    started = Session(client)
    await asyncio.wait_for(client.initialize_async(types.InitializeParams(
        capabilities=types.ClientCapabilities(), root_uri=uri(cwd))), TIMEOUT)
    client.initialized(types.InitializedParams())
    try:
        yield started
    finally:
        await asyncio.wait_for(client.shutdown_async(None), TIMEOUT)
        client.exit(None)
        await asyncio.wait_for(client.stop(), TIMEOUT)
