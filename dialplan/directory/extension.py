"""One extension as the rest of the program sees it, and the checks on each field.

Why checked so strictly: these values reach SIP headers and URIs (the number is the
user part phones register with and `dial extension` rings; the display name and caller
ID go into From), so nothing that could break a header or a URI gets in. The HA1 is not
a field of the record: nothing outside the store ever holds it.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

NUMBER = re.compile(r"[0-9A-Za-z][0-9A-Za-z_.-]{0,31}")
CALLER_ID = re.compile(r"\+?[0-9]{1,20}")
MAX_DISPLAY_NAME = 64
MAX_CONTACTS = 20  # registered devices of one extension at most


@dataclass(frozen=True)
class Extension:
    number: str
    display_name: str = ""
    enabled: bool = True
    max_contacts: int = 1
    caller_id: str | None = None  # outbound caller ID (None: the number itself)
    voicemail: str | None = None  # the mailbox its unanswered calls go to (None: none)

    def __post_init__(self) -> None:
        check_number(self.number, "number")
        check_display_name(self.display_name)
        check_max_contacts(self.max_contacts)
        if not isinstance(self.enabled, bool):
            raise ValueError("enabled must be true or false")
        if self.caller_id is not None and not CALLER_ID.fullmatch(self.caller_id):
            raise ValueError(f"caller ID {self.caller_id!r} is not digits (an optional + "
                             "first, at most 20)")
        if self.voicemail is not None:
            check_number(self.voicemail, "voicemail box")

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def check_number(value: str, what: str) -> None:
    if not isinstance(value, str) or not NUMBER.fullmatch(value):
        raise ValueError(f"{what} {value!r} must be 1 to 32 letters, digits, `_`, `.` or "
                         "`-`, starting with a letter or digit")


def check_display_name(value: str) -> None:
    if not isinstance(value, str) or len(value) > MAX_DISPLAY_NAME:
        raise ValueError(f"a display name is text of at most {MAX_DISPLAY_NAME} characters")
    if not value.isprintable() or any(c in value for c in '"\\<>'):
        raise ValueError(f"display name {value!r} may not hold control characters, "
                         "quotes, backslashes or angle brackets")


def check_max_contacts(value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or \
            not 1 <= value <= MAX_CONTACTS:
        raise ValueError(f"max contacts must be a whole number from 1 to {MAX_CONTACTS}")


FIELDS = frozenset(Extension.__dataclass_fields__) - {"number"}  # what `set` may change
