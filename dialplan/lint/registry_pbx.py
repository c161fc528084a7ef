"""Lint rules of the PBX: extensions of the directory and trunks."""

from __future__ import annotations

from .lint_rule import LintRule

PBX_RULES: tuple[LintRule, ...] = (
    LintRule("L701", "unknown-trunk", "error",
             "no trunk `{name}` in dialplan.toml (its trunks: {known})",
             "Checks that every `dial trunk NAME` names a `[trunks.NAME]` table of the "
             "dialplan.toml beside the plans (or above them).",
             "The call would take `failed` every time: the service has no such trunk.",
             '[trunks.carrier]\nproxy = "sip.carrier.example"\n\n'
             'dial trunk carier "{{ number }}"   // L701',
             'dial trunk carrier "{{ number }}"'),
    LintRule("L702", "number-not-allowed-by-trunk", "error",
             "trunk `{name}` never dials `{number}`: {detail}",
             "Checks a number written in full after `dial trunk NAME` against the trunk's "
             "`allow` and `deny` patterns (by default national and local numbers only).",
             "The service refuses it on every call (toll-fraud protection) and the dial "
             "takes `failed`.",
             'dial trunk carrier "0900123456"   // L702: premium rate, denied by default',
             'dial trunk carrier "030123456"'),
    LintRule("L705", "unknown-extension", "warning",
             "extension `{number}` is not in the directory: the dial is `unavailable` at "
             "once",
             "Finds `dial extension` targets written as a number the directory (dialplan."
             "toml `[directory]`, read only) does not have. Silent without a directory.",
             "No phone can register as a number the directory lacks, so every call "
             "through this dial takes `unavailable` (or `failed`) without ringing: "
             "usually a typo, or an extension removed while a plan still rings it.",
             'dial extension "250" {   // L705: the directory has 201, 202, 205\n'
             '  unavailable -> goto voicemail\n}',
             'dial extension "205" {\n  unavailable -> goto voicemail\n}\n'
             '// or add it: dialplan users add 250'),
    LintRule("L706", "route-takes-extension", "warning",
             "route `{number}` takes the calls for extension {extensions} to `{target}`, "
             "which never dials it: that phone cannot be called",
             "Finds routes that win the calls for a number of the directory while the "
             "flow they lead to (with what it runs and jumps to) has no `dial extension` "
             "that can ring it: neither that number nor a template such as "
             "`\"{{ called }}\"`. Silent without a directory.",
             "Every call, also one from phone to phone, enters through a route. A route "
             "number clashing with an extension (or a pattern or `default` catching it) "
             "sends callers somewhere else, and the phone registered as that extension "
             "never rings.",
             'route 201 -> sales   // L706: 201 is an extension\n'
             'flow sales { start: queue sales }',
             'route 201 -> reception\nflow reception {\n  start:\n'
             '    dial extension "{{ called }}" timeout 20s { noanswer -> queue sales }\n}'),
)
