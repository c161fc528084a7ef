"""`--explain` texts for saying values and prompt languages (E540-E542)."""

from __future__ import annotations

from .explain_syntax import BEFORE_BUILD
from .explanation import Explanation as X

SAY_EXPLANATIONS: dict[str, X] = {
    "E540": X("unsupported-language",
              "Finds a `language` (an option, or a string set into the call's `language` "
              "variable) that values cannot be said in: num2words and Babel do not both "
              "know it. The hint names the closest supported code.",
              BEFORE_BUILD + " Numbers, amounts and dates would be spoken in the wrong "
              "language, and prompts looked up in a folder no one recorded.",
              'say "Bonjour" language "french"', 'say "Bonjour" language "fr"'),
    "E541": X("unknown-currency",
              "Finds `money(\"...\")` in a template with a currency code that is not an "
              "ISO 4217 code Babel knows.", BEFORE_BUILD + " The amount would be read "
              "as bare digits on every call.",
              'say "You owe {{ due | money(\\"EUROS\\") }}"',
              'say "You owe {{ due | money(\\"EUR\\") }}"'),
    "E542": X("unknown-date-style",
              "Finds `date(\"...\")` with a style other than full, long, medium or short.",
              BEFORE_BUILD + " The date would be read as written instead of in words.",
              'say "Due {{ when | date(\\"weekday\\") }}"',
              'say "Due {{ when | date(\\"full\\") }}"'),
}
