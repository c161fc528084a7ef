"""AST to an immutable, versioned plan (the state machine's tables)."""
