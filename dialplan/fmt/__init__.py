"""`dialplan fmt`: one canonical layout for dialplan files, comments kept, meaning never
changed (`format_source` proves the output parses back to the same AST).

The canonical style:

- two spaces per level; one statement per line; `;` only inside branch bodies;
- a blank line between top-level items (consecutive routes, includes or globals stay
  together) and between states; each state's `name:` label on its own line, its
  statements one level deeper; statements before any label get `start:` written out;
- `keys -> body` one branch per line, keys joined by `, `, the statements of a body
  joined by `; `, a lone `goto x` written `-> x` (unless `x` is a statement keyword);
  a block opened inside a body indents one level under the branch;
- `} elif cond {` and `} else {` on one line; every `}` on its own line;
- options in source order; durations as written; numbers without redundant digits;
  strings re-escaped one way (short escapes, `\\uXXXX` for what is not printable);
  route numbers and patterns bare unless they need quotes; expressions via `unparse`;
- comments stay on the line they were on (aligned with their neighbours) or above the
  line they preceded; a blank line next to a comment is kept, others are not.
"""

from .api import FormatError, Formatted, format_source

__all__ = ["FormatError", "Formatted", "format_source"]
