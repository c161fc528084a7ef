"""`dialplan fmt`: one canonical layout for dialplan files, comments kept, meaning never
changed (see `format_source`)."""

from .api import FormatError, Formatted, format_source

__all__ = ["FormatError", "Formatted", "format_source"]
