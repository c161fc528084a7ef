"""`--explain` texts for the option, value and type codes (E4xx)."""

from __future__ import annotations

from .explain_syntax import BEFORE_BUILD
from .explanation import Explanation as X

VALUE_EXPLANATIONS: dict[str, X] = {
    "E401": X("unknown-option",
              "Finds an option a statement does not take; the message lists the ones it "
              "takes and suggests the closest.", BEFORE_BUILD + " A misspelt option "
              "would otherwise be ignored and its default used without a word.",
              'menu "Press 1" timout 5s { 1 -> sales }',
              'menu "Press 1" timeout 5s { 1 -> sales }'),
    "E402": X("wrong-value-type",
              "Finds an option or setting whose value is of the wrong kind (a number "
              "where a duration is needed, a string where a name is).", BEFORE_BUILD,
              'menu "Press 1" timeout 5 { 1 -> sales }',
              'menu "Press 1" timeout 5s { 1 -> sales }'),
    "E403": X("option-given-twice",
              "Finds an option or setting given twice on one statement or declaration.",
              "Only one value can apply; which one was meant is a guess.",
              'menu "m" attempts 2 attempts 3 { 1 -> a }', 'menu "m" attempts 3 { 1 -> a }'),
    "E404": X("value-out-of-range",
              "Finds a value outside the range its option allows (the message gives it).",
              "Values like 50 attempts or a 2-hour timeout hold a line for nothing.",
              'menu "m" attempts 50 { 1 -> a }', 'menu "m" attempts 3 { 1 -> a }'),
    "E405": X("invalid-key",
              "Finds a key that cannot be pressed or said: a terminator that is not "
              "DTMF (0-9, * and #), an empty spoken option.", BEFORE_BUILD,
              'collect pin "PIN?" until "x"', 'collect pin "PIN?" until "#"'),
    "E406": X("unknown-branch-event",
              "Finds a branch on an event the statement never raises (`busy` on a "
              "menu); the message lists the events it has.",
              "The branch could never run.",
              'menu "m" { 1 -> a\n  busy -> b }', 'menu "m" { 1 -> a\n  noinput -> b }'),
    "E407": X("duplicate-branch",
              "Finds two branches for the same key or event in one statement.",
              "Only the first could ever run.",
              'menu "m" { 1 -> sales\n  1 -> support }',
              'menu "m" { 1 -> sales\n  2 -> support }'),
    "E408": X("retry-outside-handler",
              "Finds `retry` outside a noinput, nomatch or word branch of a menu, "
              "collect or listen.", "There is no prompt to try again.",
              "start: retry", 'start:\n  menu "m" { 1 -> a\n    noinput -> retry }'),
    "E409": X("invalid-number-pattern",
              "Finds a route pattern that is not valid: `_` then digits, X (0-9), Z "
              "(1-9), N (2-9), sets like [1-5], and `.` or `!` at the end.",
              BEFORE_BUILD, "route _1[X] -> main", "route _1[0-9] -> main"),
    "E410": X("invalid-schedule-entry",
              "Finds a schedule line that cannot hold: an unknown day or time zone, a "
              "range that ends before it starts, an impossible date.", BEFORE_BUILD,
              "schedule night { mon 18:00-09:00 }",
              "schedule night { mon 18:00-23:59\n  tue 00:00-09:00 }"),
    "E411": X("incomparable-values",
              "Finds a comparison of literals of different kinds (a string with a number).",
              "It could never be true the way it reads.",
              'if caller == 5 { hangup }', 'if caller == "5" { hangup }'),
    "E412": X("template-error",
              "Finds a `{{ }}` template in `say` (or a target) that does not parse.",
              BEFORE_BUILD, 'say "Hello {{ name"', 'say "Hello {{ name }}"'),
    "E413": X("unknown-hangup-cause",
              "Finds a `hangup cause` that is neither a known cause nor a SIP status "
              "400-699; the message lists the causes.", BEFORE_BUILD,
              "hangup cause bussy", "hangup cause busy"),
    "E414": X("missing-required-part",
              "Finds a statement or declaration without a part it needs: a menu with no "
              "key, a queue with no `agents`.", "It could not do its job on any call.",
              'menu "m" { noinput -> retry }', 'menu "m" { 1 -> sales\n  noinput -> retry }'),
    "E415": X("unknown-setting",
              "Finds a setting a queue does not have; the message lists "
              "the settings and suggests the closest.", BEFORE_BUILD + " A misspelt "
              "setting would otherwise be ignored and its default used without a word.",
              'queue reception {\n  agents "sip:a@pbx"\n  max_wiat 4m\n}',
              'queue reception {\n  agents "sip:a@pbx"\n  max_wait 4m\n}'),
    "E416": X("conflicting-options",
              "Finds options that exclude each other on one statement (a spoken prompt "
              "and `sound`).", "Only one of them could be played.",
              'menu "Press 1" sound "menu" { 1 -> a }', 'menu sound "menu" { 1 -> a }'),
    "E417": X("invalid-target",
              "Finds a transfer or dial target that can never be called: not an "
              "extension or a `sip:`/`sips:` URI, or carrying parameters or headers.",
              BEFORE_BUILD + " It would fail on every call that reaches it.",
              'transfer "tel:+4930123"', 'transfer "sip:+4930123@pbx.example.com"'),
}
