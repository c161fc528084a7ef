"""Lint rules of flows that compute, fetch, speak several languages, share handlers
and use early media."""

from __future__ import annotations

from .lint_rule import LintRule

FLOW_RULES: tuple[LintRule, ...] = (
    LintRule("L601", "unguarded-set", "warning",
             "`set {name}` can fail when the call runs ({why}) and has no `failed` branch",
             "Finds `set`s whose value may not exist on some call: a division or remainder "
             "by a variable, `number(...)` or `format_time(...)` of a variable.",
             "Without a `failed` branch the variable becomes empty text and the flow goes "
             "on: the caller may hear \"your share is\" and nothing. Say what happens then.",
             "set each = total / number(people)   // L601",
             'set each = total / number(people) {\n  failed -> say "Nobody to share with."'
             "; goto menu\n}"),
    LintRule("L610", "url-not-allowed", "error",
             "fetch URL `{url}` is not in the allowed URLs ({allowed})",
             "Checks every `fetch` URL against `allowed_urls` ([lint], else [serve] of "
             "dialplan.toml): same scheme, host and port, and a path under an allowed one. "
             "A `{{ }}` part counts as one path segment.",
             "The service refuses such a request on every call (the `failed` branch); and a "
             "plan must not send caller data anywhere the operator has not allowed.",
             '[serve]\nallowed_urls = ["https://api.example.com/v1/"]\n\n'
             'fetch a "https://api.example.com/v2/accounts/{{ caller }}"   // L610',
             'fetch a "https://api.example.com/v1/accounts/{{ caller }}"'),
    LintRule("L625", "prompt-missing-in-language", "warning",
             "prompt `{name}` has no recording in `{language}`, a language this call can "
             "be in (recorded in: {found})",
             "Checks every `play` and `sound` against the languages the plan can select "
             "(literal `language` options, strings set into `language` or into a variable "
             "a `language` option names): each needs `<folder>/<language>/<name>.wav` "
             "when the prompt is recorded per language and has no language-neutral "
             "`<folder>/<name>.wav`.",
             "A French caller would hear the English recording (the fallback) in the "
             "middle of a French call.",
             'set language = "fr"\nplay "welcome"   // L625: only prompts/en/welcome.wav',
             'set language = "fr"\nplay "welcome"   // prompts/en/ and prompts/fr/welcome.wav'),
    LintRule("L630", "unused-shared-handler", "warning",
             "shared `{event}` handler of {scope} is never inherited: every menu, collect "
             "and listen it covers has a closer `{event}` branch",
             "Finds `noinput`, `nomatch` and `exhausted` branches of a `handlers` block that "
             "no menu, collect or listen inherits, because each has its own branch for the "
             "event (or, at plan level, its flow's `handlers` has one).",
             "The shared handler never runs, so a change made to it changes nothing; usually "
             "a local branch left over from before the handlers were shared.",
             'handlers { nomatch -> say "Not an option."; retry }   // L630\n'
             'flow main {\n  start: menu "Press 1" {\n    1 -> start\n'
             '    nomatch -> say "Not an option."; retry\n  }\n}',
             'handlers { nomatch -> say "Not an option."; retry }\n'
             'flow main {\n  start: menu "Press 1" {\n    1 -> start\n  }\n}'),
    LintRule("L640", "input-in-early-media", "warning",
             "`{verb}` runs in early media (after `progress`, before `answer`): the "
             "caller's side may not reach us yet",
             "Finds menus, collects, listens, recordings and queues that some path reaches "
             "after a `progress` without passing an `answer`.",
             "Early media carries prompts to the caller; many phones and carriers send no "
             "audio, and so no keys or speech, before the call is answered. The input "
             "times out, the recording is silent, and a queue's agent would be bridged to "
             "an unanswered call.",
             'start:\n  progress\n  menu "Press 1 for sales." {   // L640\n    1 -> sales\n'
             '  }',
             'start:\n  progress\n  say "Calls may be recorded."\n  answer\n'
             '  menu "Press 1 for sales." {\n    1 -> sales\n  }'),
)
