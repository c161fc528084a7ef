"""The LSP requests, each a thin adapter from protocol parameters to a feature function.

Every handler answers from the last check that parsed: a request never waits for a
check and never fails because the text is half typed (it gets an empty answer)."""

from __future__ import annotations

import re

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer

from . import navigation
from .analysis import Analysis
from .checker import Checker
from .positions import uri_to_path

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _folders(server: LanguageServer) -> list[str]:
    """The editor's workspace folders (or its root), where including plans are sought."""
    folders = [uri_to_path(f.uri) for f in server.workspace.folders.values()]
    root = server.workspace.root_path
    return folders or ([root] if root else [])


def register_navigation(server: LanguageServer, checker: Checker) -> None:
    view = checker.view

    def wide(path: str) -> Analysis | None:
        return checker.wider_view(path, _folders(server))

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def symbols(params: types.DocumentSymbolParams) -> list[types.DocumentSymbol]:
        path = uri_to_path(params.text_document.uri)
        analysis = view(path)
        return navigation.outline(analysis, path) if analysis else []

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def definition(params: types.DefinitionParams) -> list[types.Location]:
        path = uri_to_path(params.text_document.uri)
        analysis = view(path)
        return navigation.definition(analysis, path, params.position) if analysis else []

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    def references(params: types.ReferenceParams) -> list[types.Location]:
        path = uri_to_path(params.text_document.uri)
        analysis = wide(path)
        if analysis is None:
            return []
        return navigation.references(analysis, path, params.position,
                                     params.context.include_declaration)

    @server.feature(types.TEXT_DOCUMENT_RENAME)
    def rename(params: types.RenameParams) -> types.WorkspaceEdit | None:
        if not NAME.fullmatch(params.new_name):
            raise JsonRpcInvalidParams(f"`{params.new_name}` is not a valid name")
        path = uri_to_path(params.text_document.uri)
        analysis = wide(path)
        if analysis is None:
            return None
        return navigation.rename(analysis, path, params.position, params.new_name)
