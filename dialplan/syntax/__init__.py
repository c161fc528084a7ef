"""Text to AST: the Lark grammar, the transformer and syntax diagnostics."""
