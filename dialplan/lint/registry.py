"""Every lint rule, by code: the language's own here, the rules of later features (flows
that compute, fetch, speak several languages, share handlers, use early media) in
registry_flows.py and those of the PBX (extensions, trunks) in registry_pbx.py.
"""

from __future__ import annotations

from .lint_rule import LintRule
from .registry_flows import FLOW_RULES
from .registry_pbx import PBX_RULES

RULES: tuple[LintRule, ...] = (
    LintRule("L101", "unreachable-state", "warning", "state `{state}` can never be entered",
             "Finds states of a used flow that no route, goto, branch or run leads to.",
             "Dead states are usually a typo in a goto, or a menu option that was removed "
             "while its target stayed; either way what the author meant is not what runs.",
             "flow main {\n  start: goto menu\n  menu: hangup\n  old_menu: hangup   "
             "// L101\n}",
             'flow main {\n  start: goto menu\n  menu: hangup\n}'),
    LintRule("L102", "implicit-hangup", "warning",
             "state `{state}` can run out of statements: the call is hung up there",
             "Finds states where some path ends without a jump (goto, retry, return, "
             "hangup or a transfer) in a flow that is not a sub-flow.",
             "Asterisk's 'autofallthrough': the caller is cut off after the last prompt, "
             "often in the middle of what the author meant to be a menu loop. Say it with "
             "`hangup` when it is meant.",
             'flow main {\n  start:\n    say "Thanks for calling."   // L102: then silence'
             "\n}",
             'flow main {\n  start:\n    say "Thanks for calling."\n    hangup\n}'),
    LintRule("L103", "loop-without-wait", "error",
             "state `{state}` can loop forever without waiting for the caller",
             "Finds cycles of gotos, conditions and sets with no prompt, input or timer in "
             "them.",
             "Such a loop spins until the machine's step limit ends the call with an error.",
             "flow main {\n  a: goto b\n  b: goto a   // L103\n}",
             'flow main {\n  a: menu "Press 1" { 1 -> b }\n  b: goto a\n}'),
    LintRule("L104", "retry-counter-reset", "warning",
             "`{event}` re-enters this {verb} with `goto`: its attempt count restarts, so "
             "`exhausted` never runs; use `retry`",
             "Finds noinput or nomatch handlers that go back to their own menu, collect or "
             "listen by entering its state again.",
             "A fresh entry resets the attempt counter, so a silent caller loops forever "
             "instead of reaching `exhausted`.",
             'menu:\n  menu "Press 1" {\n    1 -> sales\n    noinput -> goto menu   // L104: '
             "use retry\n  }",
             'menu:\n  menu "Press 1" {\n    1 -> sales\n    noinput -> retry\n  }'),
    LintRule("L105", "media-before-answer", "warning",
             "`{verb}` can run before the call is answered: the caller hears nothing",
             "Finds prompts, input, recording and queue music that some path from a route "
             "reaches without passing an `answer` or a `progress` (through goto, branches "
             "and sub-flows).",
             "A call that is only ringing has no audio path: the caller hears silence "
             "while the call keeps ringing, and a menu waits for keys nobody can be asked "
             "for. `progress` (183, early media) opens the path for prompts before the "
             "answer.",
             'flow main {\n  start:\n    say "Welcome."   // L105: answer first\n    '
             "hangup\n}",
             'flow main {\n  start:\n    answer\n    say "Welcome."\n    hangup\n}'),
    LintRule("L201", "missing-exhausted", "warning",
             "{verb} has no `exhausted` branch: after {attempts} failed attempts the call "
             "is hung up",
             "Finds menus, collects and listens without an `exhausted` branch.",
             "Callers who cannot use the keypad or are not understood are dropped without "
             "a word; offer an operator or voicemail instead.",
             'menu "Press 1" {\n  1 -> sales\n}   // L201',
             'menu "Press 1" {\n  1 -> sales\n  exhausted -> goto operator\n}'),
    LintRule("L202", "missing-noinput-nomatch", "info",
             "{verb} has no `{event}` branch: the prompt is repeated without a word",
             "Finds menus, collects and listens without `noinput` or `nomatch` handlers.",
             "A caller who pressed a wrong key hears the same prompt again with no hint "
             "that something went wrong.",
             'menu "Press 1" {\n  1 -> sales\n}   // L202',
             'menu "Press 1" {\n  1 -> sales\n  nomatch -> say "That is not an option."; retry\n}'),
    LintRule("L203", "prefix-keys", "info",
             "key `{short}` is a prefix of `{long}`: after `{short}` the menu waits "
             "{interdigit} for another digit",
             "Finds menu keys that begin another key.",
             "Callers pressing the short key wait for the interdigit timeout before "
             "anything happens, which feels broken.",
             'menu "Press 1 or 12" {\n  1 -> a   // L203\n  12 -> b\n}',
             'menu "Press 1 or 2" {\n  1 -> a\n  2 -> b\n}'),
    LintRule("L301", "shadowed-route", "warning",
             "route `{number}` never wins: `{other}` takes every number it matches",
             "Finds route numbers or patterns that a better route always beats.",
             "The route looks live but no call ever takes it.",
             "route _1XX -> main\nroute _1[0-9]X -> other   // L301: _1XX comes first",
             'route _1[0-9]X -> other\nroute _1XX -> main   // the more specific one first'),
    LintRule("L302", "overlapping-routes", "info",
             "route `{number}` overlaps `{other}` (to `{target}`); `{winner}` wins where "
             "both match",
             "Finds routes to different places whose numbers overlap.",
             "Which call goes where then depends on the precedence rules; make sure that "
             "is what you want.",
             "route _X. -> main\nroute 100 -> sales   // L302: 100 goes to sales",
             'route _X. -> main\n'
             'route 100 -> sales   // meant: 100 goes to sales, the rest to main'),
    LintRule("L401", "missing-prompt", "error",
             "prompt file `{name}` not found; searched {dirs} and their language folders",
             "Checks that every `play`, `sound` and queue `music` names a WAV file in the "
             "prompt folders (`<folder>/<name>.wav` or `<folder>/<language>/<name>.wav`): "
             "`[lint] prompts` in dialplan.toml, relative to that file; without a "
             "dialplan.toml, `prompts` beside the plan.",
             "A missing file is silence on a live call.",
             'play "welcom"   // L401: prompts/en/welcome.wav exists',
             'play "welcome"   // prompts/en/welcome.wav'),
    LintRule("L402", "target-not-allowed", "error",
             "target `{target}` is not in the allowed targets ({allowed})",
             "Checks transfer and dial targets and queue agents against `allowed_targets` "
             "in the lint configuration (globs; only when configured).",
             "A dialplan must not send calls, and their cost, anywhere but where the "
             "operator allows.",
             '[lint]\nallowed_targets = ["sip:*@pbx.example.com"]\n\n'
             'transfer "sip:1900123@premium.example"   // L402',
             'transfer "sip:reception@pbx.example.com"'),
    LintRule("L403", "queue-without-fallback", "warning", "{detail}",
             "Finds queues without an explicit `max_wait`, and `queue` statements without "
             "a `noanswer` branch.",
             "Without them a caller waits the default time and then falls out of the "
             "queue into whatever follows, usually a hangup.",
             'queue support { agents "sip:a@pbx" }   // L403: no max_wait\n...\n'
             "queue support   // L403: no noanswer branch",
             'queue support {\n  agents "sip:a@pbx"\n  max_wait 3m\n}\n...\n'
             'queue support { noanswer -> goto voicemail }'),
    LintRule("L404", "schedule-never-open", "warning",
             "schedule `{name}` is never open: {detail}",
             "Finds schedules with no opening hours.",
             "Every `during` test on it is false, so the open branch never runs.",
             "schedule office {\n  timezone \"Europe/Berlin\"\n  holiday 2026-12-25\n}   "
             "// L404",
             'schedule office {\n  timezone "Europe/Berlin"\n'
             '  mon-fri 09:00-17:00\n  holiday 2026-12-25\n}'),
    LintRule("L405", "overlapping-hours", "info",
             "opening hours overlap on {day}: {first} and {second}",
             "Finds time ranges of a schedule that overlap on the same day.",
             "Usually a typo in a time; the schedule is open for the union anyway.",
             "schedule s { mon 09:00-13:00, 12:00-17:00 }   // L405",
             'schedule s { mon 09:00-12:00, 13:00-17:00 }'),
    LintRule("L501", "unused-flow", "warning", "flow `{name}` is never used",
             "Finds flows no route, goto or run leads to.",
             "Dead flows mislead readers and usually hide a missing route.",
             "flow old_menu { start: hangup }   // L501",
             'route 200 -> old_menu\nflow old_menu { start: hangup }   // or delete the flow'),
    LintRule("L502", "unused-schedule", "warning", "schedule `{name}` is never used",
             "Finds schedules no `during` reads.", "A schedule nobody checks does nothing.",
             "schedule office { mon-fri 09:00-17:00 }   // L502",
             'schedule office { mon-fri 09:00-17:00 }\n...\nif during office { goto open }'),
    LintRule("L503", "unused-queue", "warning", "queue `{name}` is never used",
             "Finds queues no `queue` statement enters.", "Agents wait for calls that never "
             "come.", 'queue support { agents "sip:a@pbx" }   // L503',
             'queue support { agents "sip:a@pbx" }\n...\nqueue support'),
    LintRule("L504", "unused-variable", "info", "variable `{name}` is set but never read",
             "Finds variables (set, collected, listened, recorded) that no condition, "
             "template or target reads.",
             "Either the value is not needed, or a read was misspelt.",
             "collect pin \"PIN?\" digits 4   // L504 if nothing reads pin",
             'collect pin "PIN?" digits 4\nif pin == "1234" { goto ok }'),
    LintRule("L505", "empty-plan", "warning", "plan `{name}` has no routes and no flows",
             "Finds files checked as plans (no other file includes them) that define "
             "nothing a call can use: empty, or comments only.",
             "An empty file is usually a save gone wrong or a file in the wrong folder; "
             "served, it answers no number.",
             "// the whole file   // L505",
             'route 100 -> main\nflow main { start: answer; hangup }'),
)

RULES += FLOW_RULES + PBX_RULES
RULE_BY_CODE = {rule.code: rule for rule in RULES}

__all__ = ["RULES", "RULE_BY_CODE", "LintRule"]
