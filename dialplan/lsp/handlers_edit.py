"""The LSP requests that help write: completion, hover, formatting and code actions.
Completion and hover read the current text (pygls keeps it) for the cursor's context
and the last check that parsed for the names."""

from __future__ import annotations

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from .analysis import prompt_names, trunk_names
from .checker import Checker
from .completion import complete
from .editing import format_edits, quick_fixes
from .hover import Hover
from .positions import to_column, uri_to_path

TRIGGERS = [" ", ".", '"', "{"]


def _line(server: LanguageServer, uri: str, position: types.Position) -> tuple[str, int, int]:
    """The cursor's line text and its 1-based (line, column) in characters."""
    lines = server.workspace.get_text_document(uri).lines
    text = lines[position.line].rstrip("\r\n") if position.line < len(lines) else ""
    return text, position.line + 1, to_column(text, position.character)


def register_editing(server: LanguageServer, checker: Checker) -> None:
    hover_texts = Hover()

    @server.feature(types.TEXT_DOCUMENT_COMPLETION,
                    types.CompletionOptions(trigger_characters=TRIGGERS))
    def completion(params: types.CompletionParams) -> types.CompletionList:
        path = uri_to_path(params.text_document.uri)
        text, line, column = _line(server, params.text_document.uri, params.position)
        found = complete(checker.view(path), path, text[:column - 1], line,
                         prompt_names(path), trunk_names(path))
        return types.CompletionList(is_incomplete=False, items=found)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(params: types.HoverParams) -> types.Hover | None:
        path = uri_to_path(params.text_document.uri)
        text, line, column = _line(server, params.text_document.uri, params.position)
        found = hover_texts.text(text, line, column, checker.diagnostics(path))
        if found is None:
            return None
        return types.Hover(contents=types.MarkupContent(
            kind=types.MarkupKind.Markdown, value=found))

    @server.feature(types.TEXT_DOCUMENT_FORMATTING)
    def formatting(params: types.DocumentFormattingParams) -> list[types.TextEdit] | None:
        document = server.workspace.get_text_document(params.text_document.uri)
        return format_edits(document.source, uri_to_path(params.text_document.uri))

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix]))
    def code_action(params: types.CodeActionParams) -> list[types.CodeAction]:
        document = server.workspace.get_text_document(params.text_document.uri)
        lines = [line.rstrip("\r\n") for line in document.lines]
        return quick_fixes(params.text_document.uri, list(params.context.diagnostics), lines)
