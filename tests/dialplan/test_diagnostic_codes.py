"""One typical mistake per diagnostic code, pinning code, position and message.

The messages themselves come from dialplan/codes.py (and, for E105, the syntax
mistakes table): this table proves each one fires where it should, worded as pinned.
"""

from __future__ import annotations

import pytest

from dialplan.build import build_text
from dialplan.codes import CODES

HEAD = "route 100 -> main\n"

# (source, code, "line:column", message)
CASES = [
    ("flow main { s: answer $ }", "E101", "1:23", "unexpected character '$'"),
    ("flow main { s: say 42 }", "E102", "1:20", "expected a string, but found a number `42`"),
    ('flow main { s: say "hi\n}', "E103", "1:20", "unterminated string"),
    ('flow main { s: say "a\\qb" }', "E104", "1:22", "invalid escape \\q in string"),
    ("flow main { s: menu \"m\" { 1 sales } }", "E105", "1:29",
     "missing `->` between the keys and the target of a branch"),
    ("flow main { s: if " + "not " * 5000 + "true { hangup } }", "E107", "1:1",
     "nesting too deep to handle; split the expression or the blocks"),
    ("flow main { s: hangup }\n/* not closed\nroute 1 -> main", "E108", "2:1",
     "unterminated block comment"),
    ("flow main { s: answer", "E106", "1:22",
     "unexpected end of file; expected a statement, `;`, `}` or a state label (`name:`)"),
    (HEAD + "flow main { s: goto mneu  menu: hangup }", "E301", "2:21",
     "undefined state `mneu` in flow `main`"),
    (HEAD + "flow main { s: run verify }", "E302", "2:20", "undefined flow `verify`"),
    (HEAD + "flow main { s: if during office { hangup } }", "E303", "2:19",
     "undefined schedule `office`"),
    (HEAD + "flow main { s: queue sales }", "E304", "2:22", "undefined queue `sales`"),
    (HEAD + 'flow main { s: if pin == "1" { hangup } }', "E305", "2:19",
     "undefined variable `pin`"),
    (HEAD + "flow main { s: hangup  s: hangup }", "E306", "2:24",
     "duplicate state `s` (first defined at test.dialplan:2:13)"),
    (HEAD + "flow main { }", "E307", "2:6", "flow `main` has no states, so no entry"),
    (HEAD + "route 100 -> main\nflow main { s: hangup }", "E308", "2:1",
     "duplicate route for 100 (first at test.dialplan:1:1)"),
    (HEAD + 'flow main { s: menu "m" timout 5s { 1 -> s } }', "E401", "2:25",
     "unknown option `timout` for `menu` (its options: `attempts`, `barge_in`, `confidence`, "
     "`interdigit`, `language`, `rate`, `sound`, `timeout`, `voice`)"),
    (HEAD + 'flow main { s: menu "m" timeout 5 { 1 -> s } }', "E402", "2:25",
     "`timeout` expects a duration like `5s`, got number `5`"),
    (HEAD + 'flow main { s: menu "m" attempts 2 attempts 3 { 1 -> s } }', "E403", "2:36",
     "option `attempts` given twice"),
    (HEAD + 'flow main { s: menu "m" attempts 50 { 1 -> s } }', "E404", "2:25",
     "`attempts` out of range: allowed 1 to 20"),
    (HEAD + 'flow main { s: collect pin "PIN" until "x" }', "E405", "2:16",
     "invalid key `x`: a terminator is made of DTMF keys 0-9, * and #"),
    (HEAD + 'flow main { s: menu "m" { 1 -> s  busy -> s } }', "E406", "2:35",
     "`menu` has no `busy` branch (it has: noinput, nomatch, exhausted)"),
    (HEAD + 'flow main { s: menu "m" { 1 -> s  1 -> s } }', "E407", "2:35",
     "duplicate branch `1` in `menu`"),
    (HEAD + "flow main { s: retry }", "E408", "2:16",
     "`retry` outside a menu, collect or listen handler"),
    ("route _1[X] -> main\nflow main { s: hangup }", "E409", "1:7",
     "invalid number pattern `_1[X]`: bad set `[X]`: use digits and ranges like [1-5]"),
    (HEAD + "schedule open { mon 18:00-09:00 }\nflow main { s: hangup }", "E410", "2:21",
     "invalid schedule entry: 18:00-09:00 ends before it starts; "
     "split a range that passes midnight in two"),
    (HEAD + 'flow main { s: if caller == 5 and "a" < 3 { hangup } }', "E411", "2:35",
     "cannot compare string with number using `<`"),
    (HEAD + 'flow main { s: say "Hello {{ caller" }', "E412", "2:20",
     "template error in `say`: unexpected end of template, expected 'end of print statement'."),
    (HEAD + "flow main { s: hangup cause exploded }", "E413", "2:16",
     "unknown hangup cause `exploded` (the causes: `busy`, `congestion`, `failure`, `noanswer`, "
     "`normal`, `notfound`, `rejected`, `unavailable` or a SIP status 400-699)"),
    (HEAD + 'flow main { s: menu "m" { noinput -> retry } }', "E414", "2:16",
     "`menu` requires at least one option, such as `1 -> sales`"),
    ("route 100 -> main\nqueue q { agents \"sip:a@b\" colour blue }\nflow main { s: queue q }",
     "E415", "2:28", "unknown setting `colour` for queue `q` (its settings: `agents`, "
     "`max_callers`, `max_wait`, `music`, `ring_timeout`, `strategy`)"),
    (HEAD + 'flow main { s: transfer "tel:+4930123" }', "E417", "2:25",
     "invalid target `tel:+4930123`: `tel:` is not a SIP URI: write `sip:` or `sips:`"),
    (HEAD + 'flow main { s: menu "m" sound "x" { 1 -> s } }', "E416", "2:16",
     "conflicting options for `menu`: a spoken prompt and `sound` cannot both be given"),
    ('schedule o { mon 09:00-17:00 holidays "DE-BX" }\n' + HEAD
     + "flow main { s: if during o { hangup } }", "E560", "1:39",
     "unknown holiday calendar `DE-BX`: country `DE` has no subdivision `BX`"),
    (HEAD + 'flow main { s: say "Bonjour" language "french" }', "E540", "2:39",
     "unsupported language `french`: values cannot be said in it"),
    (HEAD + 'flow main { s: say "{{ 3 | money(\'EUROS\') }}" }', "E541", "2:20",
     'unknown currency `EUROS` for `money` (an ISO 4217 code like "EUR")'),
    (HEAD + 'flow main { s: say "{{ date | date(\'weekday\') }}" }', "E542", "2:20",
     "unknown date style `weekday` (the styles: full, long, medium, short)"),
    (HEAD + 'flow main { s: fetch a "https://{{ caller }}.example/" }', "E520", "2:24",
     "invalid fetch URL `https://{{ caller }}.example/`: it must start with a literal "
     "`http://` or `https://` host (and port), before any `{{ }}`"),
    (HEAD + 'flow main { s: fetch a "https://api.example/" headers "X: {{ caller }}" }',
     "E521", "2:16", "invalid fetch header `X: {{ caller }}`: header values are literal; "
     "use `$NAME` for a secret from the environment"),
    (HEAD + 'flow main { s: fetch a "https://api.example/" json "caller" }', "E522", "2:16",
     "invalid fetch body entry `caller`: write it as `key=value` (the key: letters, digits, "
     "`_`, `.` or `-`)"),
    (HEAD + 'flow main { s: fetch a "https://api.example/" method patch }', "E523", "2:16",
     "unknown fetch method `patch` (the methods: get, post, put, delete)"),
    (HEAD + 'flow main { s: fetch caller "https://api.example/" }', "E524", "2:22",
     "`fetch` cannot store into `caller`: it is a fact of the call"),
    (HEAD + "flow main { s: set n = lenght(caller) }", "E501", "2:24",
     "unknown function `lenght`"),
    (HEAD + "flow main { s: set n = slice(caller) }", "E502", "2:24",
     "`slice` takes 2 or 3 arguments, got 1"),
    (HEAD + 'flow main { s: collect n "N" digits 2\n set m = n * 2 }', "E503", "3:10",
     "`n` is text, but `*` needs a number"),
    (HEAD + "flow main { s: set n = upper(5) }", "E504", "2:30",
     "argument `text` of `upper` must be text, got number"),
    (HEAD + "flow main { s: set n = 5 % 0 }", "E505", "2:28",
     "division by zero: the right side of `%` is 0"),
    (HEAD + 'flow main { s: dial trunk carrier "sip:030@x" }', "E601", "2:35",
     "invalid trunk number `sip:030@x`: a phone number is digits, with an optional leading "
     "`+` (up to 20)"),
]


def test_every_code_has_a_case() -> None:
    # E201-E203 need files on disk: tests/dialplan/test_loader.py pins them.
    covered = {code for _, code, _, _ in CASES} | {"E201", "E202", "E203"}
    assert covered == set(CODES)


@pytest.mark.parametrize(("source", "code", "where", "message"), CASES,
                         ids=[case[1] for case in CASES])
def test_mistake_is_reported_with_code_position_and_message(
        source: str, code: str, where: str, message: str) -> None:
    build = build_text(source, "test.dialplan")
    found = [(d.code, f"{d.span.line}:{d.span.column}", d.message) for d in build.diagnostics]
    assert (code, where, message) in found, found
    assert build.plan is None
