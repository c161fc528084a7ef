"""`--explain` texts for the trunk codes (E6xx)."""

from __future__ import annotations

from .explain_syntax import BEFORE_BUILD
from .explanation import Explanation as X

TRUNK_EXPLANATIONS: dict[str, X] = {
    "E601": X("invalid-trunk-number",
              "Finds a `dial trunk NAME` number that can never be a phone number: "
              "anything but digits (and one leading `+`) written around its template.",
              BEFORE_BUILD + " The service refuses such a number on every call.",
              'dial trunk carrier "sip:{{ number }}@carrier"',
              'dial trunk carrier "{{ number }}"'),
}
