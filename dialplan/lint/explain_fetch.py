"""`--explain` texts for the codes of `fetch`, the HTTP lookup (E520-E524)."""

from __future__ import annotations

from .explain_syntax import BEFORE_BUILD
from .explanation import Explanation as X

FETCH_EXPLANATIONS: dict[str, X] = {
    "E520": X("invalid-fetch-url",
              "Finds a `fetch` URL whose scheme, host or port is not written literally "
              "(`http://` or `https://`, a host, an optional port, then a path).",
              BEFORE_BUILD + " Only the path and query may hold `{{ }}` values, so caller "
              "input can never choose which server a lookup reaches.",
              'fetch account "https://{{ region }}.api.example/accounts/{{ caller }}"',
              'fetch account "https://api.example/{{ region }}/accounts/{{ caller }}"'),
    "E521": X("invalid-fetch-header",
              "Finds a `fetch` header that is not `Name: value`, names a header the "
              "HTTP client sets itself (Host, Content-Length), or holds a `{{ }}` value.",
              BEFORE_BUILD + " Header values are literal so that no caller value can "
              "reach them; a secret is written `$NAME` and read from the service's "
              "environment when the request is made, never kept in the plan.",
              'fetch a "https://api.example/" headers "Authorization: Bearer s3cr3t"',
              'fetch a "https://api.example/" headers "Authorization: Bearer $API_TOKEN"'),
    "E522": X("invalid-fetch-body",
              "Finds a `json` or `form` entry of `fetch` that is not `key=value`.",
              BEFORE_BUILD, 'fetch a "https://api.example/pin" json "{{ pin }}"',
              'fetch a "https://api.example/pin" json "pin={{ pin }}"'),
    "E523": X("unknown-fetch-method",
              "Finds a `fetch` method other than get, post, put and delete.",
              BEFORE_BUILD, 'fetch a "https://api.example/" method patch',
              'fetch a "https://api.example/" method put json "x=1"'),
    "E524": X("fetch-into-call-fact",
              "Finds a `fetch` (or its `status` variable) named like a fact every call "
              "has: caller, called, caller_name, call_id, hour, minute, weekday, date.",
              BEFORE_BUILD + " A web service's answer would replace who is calling or "
              "what time it is for the rest of the call.",
              'fetch caller "https://crm.example/lookup/{{ caller }}"',
              'fetch customer "https://crm.example/lookup/{{ caller }}"'),
}
