"""The LSP requests, each a thin adapter from protocol parameters to a feature function.

Every handler answers from the last check that parsed: a request never waits for a
check and never fails because the text is half typed (it gets an empty answer)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from . import navigation
from .positions import uri_to_path

if TYPE_CHECKING:
    from .server import DialplanServer


def register_navigation(server: DialplanServer) -> None:
    view = server.checker.view

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
        analysis = view(path)
        if analysis is None:
            return []
        return navigation.references(analysis, path, params.position,
                                     params.context.include_declaration)

    @server.feature(types.TEXT_DOCUMENT_RENAME)
    def rename(params: types.RenameParams) -> types.WorkspaceEdit | None:
        path = uri_to_path(params.text_document.uri)
        analysis = view(path)
        if analysis is None:
            return None
        return navigation.rename(analysis, path, params.position, params.new_name)
