"""`dialplan lsp`: a language server (pygls) that runs the project's own loader, checker,
lint rules and formatter on the editor's unsaved text."""
