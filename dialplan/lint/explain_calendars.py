"""`--explain` texts for the calendar and shared-handler codes (E560-E579)."""

from __future__ import annotations

from .explain_syntax import BEFORE_BUILD
from .explanation import Explanation as X

CALENDAR_EXPLANATIONS: dict[str, X] = {
    "E560": X("unknown-holiday-calendar",
              "Finds a `holidays` region code that names no calendar of the `holidays` "
              "library: an unknown country, or a subdivision the country does not have. "
              "Codes are ISO 3166: a country (`DE`) or a country and a subdivision "
              "(`DE-BY`); the hint suggests the closest code.",
              BEFORE_BUILD + " A schedule with a calendar that does not exist would be "
              "open on every public holiday.",
              'schedule office {\n  mon-fri 09:00-17:00\n  holidays "DE-BYY"\n}',
              'schedule office {\n  mon-fri 09:00-17:00\n  holidays "DE-BY"\n}'),
}
