"""Lint rules beyond the compiler's errors: the call graph, inputs, routes, resources."""
