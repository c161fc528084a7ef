"""Which languages values can be said in: those num2words spells and Babel knows.

A language code is written as a plan writes it (`fr`, `fr-CH`, `en_US`, any case);
`canonical` gives Babel's form (`fr_CH`) and `spelling` the num2words converter to
use (the regional one when num2words has it, else the base language's).
"""

from __future__ import annotations

import re
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from num2words import CONVERTER_CLASSES

_CODE = re.compile(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8}){0,3}")  # BCP 47-ish, no paths


@lru_cache(maxsize=256)
def canonical(code: str) -> str | None:
    """`fr-ch` -> `fr_CH`; None when Babel or num2words does not know the language. The
    code may come from a caller (`set language = choice`): only a plain language tag is
    even looked at, so one never names a folder outside prompts/."""
    if not isinstance(code, str) or _CODE.fullmatch(code) is None:
        return None
    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None
    if locale.language not in CONVERTER_CLASSES:
        return None
    return str(locale)


def supported(code: str) -> bool:
    return canonical(code) is not None


def spelling(code: str) -> str:
    """The num2words language for a canonical code (`fr_CH`, else `fr`)."""
    return code if code in CONVERTER_CLASSES else code.split("_")[0]


def folder_names(code: str) -> tuple[str, ...]:
    """Prompt folder names for a language, most specific first: `fr-CH` -> (`fr-CH`,
    `fr_CH`, `fr`); the code as written comes first so a plan's spelling is honoured."""
    if _CODE.fullmatch(code) is None:
        return ()
    base = code.replace("-", "_").split("_")[0]
    return tuple(dict.fromkeys([code, code.replace("-", "_"), base]))


def all_languages() -> list[str]:
    """Every base language both libraries handle, for hints and the docs."""
    return sorted(c for c in CONVERTER_CLASSES if "_" not in c and supported(c))


@lru_cache(maxsize=1)
def _by_english_name() -> dict[str, str]:
    return {str(Locale.parse(code).english_name).lower(): code for code in all_languages()}


def code_for_name(name: str) -> str | None:
    """`French` -> `fr`: for the hint when a plan writes a language's name."""
    return _by_english_name().get(name.strip().lower())
