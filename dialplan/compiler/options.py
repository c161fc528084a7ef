"""Option tables per verb and their checking: names, value kinds, ranges, defaults.

One table says which options a statement takes, so the compiler can word "unknown
option `timout` for `menu`, did you mean `timeout`?" and docs/language.md can list them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import plan
from ..diagnostics import Report, did_you_mean
from ..syntax import ast
from ..syntax.exprs import Duration, Literal, Range, Var


@dataclass(frozen=True)
class Spec:
    kind: str  # duration | int | number | string | text | strings | bool | name | digits
    low: float | None = None
    high: float | None = None


_DURATION = Spec("duration", 0.1, 3600)
_VOICE = {"voice": Spec("text"), "rate": Spec("int", 50, 500), "language": Spec("text")}
_INPUT = {
    "timeout": _DURATION, "interdigit": _DURATION, "attempts": Spec("int", 1, 20),
    "barge_in": Spec("bool"), "sound": Spec("string"), **_VOICE,
}

VERB_OPTIONS: dict[str, dict[str, Spec]] = {
    "say": _VOICE,
    "play": {"language": _VOICE["language"]},
    "menu": {**_INPUT, "confidence": Spec("number", 0, 1)},
    "collect": {**_INPUT, "digits": Spec("digits", 1, 64), "until": Spec("string"),
                "overall": _DURATION},
    "listen": {**_INPUT, "phrases": Spec("strings"), "confidence": Spec("number", 0, 1)},
    "transfer": {"timeout": _DURATION},
    "dial": {"timeout": _DURATION, "caller_id": Spec("string")},
    "queue": {},
    "record": {"max": _DURATION, "finish": Spec("string"), "beep": Spec("bool")},
    "hangup": {"cause": Spec("cause")},
    "fetch": {"timeout": Spec("duration", 0.1, 60), "method": Spec("name"),
              "headers": Spec("strings"), "json": Spec("strings"), "form": Spec("strings"),
              "status": Spec("name")},
    "flow": _VOICE,
    "defaults": {**_VOICE, "target_parameters": Spec("bool"), "allow_refer": Spec("bool")},
}

QUEUE_SETTINGS: dict[str, Spec] = {
    "agents": Spec("strings"), "music": Spec("string"), "max_wait": _DURATION,
    "ring_timeout": _DURATION, "strategy": Spec("name"), "max_callers": Spec("int", 1, 10000),
}

_KIND_WORDS = {
    "duration": "a duration like `5s`", "int": "a whole number", "number": "a number",
    "string": "a string", "strings": "one or more strings", "bool": "`true` or `false`",
    "name": "a name", "cause": "a cause like `busy` or a SIP status like `486`",
    "digits": "a digit count like `4` or a range like `4..8`",
    "text": "a string or a variable name",
}


def _describe(value: Any) -> str:
    if isinstance(value, Duration):
        return f"duration `{value.text}`"
    if isinstance(value, Range):
        return f"range `{value.low}..{value.high}`"
    if isinstance(value, Var):
        return f"name `{value.name}`"
    if isinstance(value.value, bool):
        return f"`{str(value.value).lower()}`"
    if isinstance(value.value, str):
        return f'string "{value.value}"'
    return f"number `{value.value}`"


def _convert(spec: Spec, values: tuple[Any, ...]) -> Any:
    """The option's Python value, or None when the values do not fit `spec.kind`."""
    first = values[0]
    if spec.kind == "strings":
        ok = all(isinstance(v, Literal) and isinstance(v.value, str) for v in values)
        return tuple(v.value for v in values) if ok else None
    if len(values) != 1:
        return None
    if spec.kind == "duration":
        return first.seconds if isinstance(first, Duration) else None
    if spec.kind == "name":
        return first.name if isinstance(first, Var) else None
    if spec.kind == "text":  # a variable is kept as such: read when the call runs
        return first if isinstance(first, Var) else _convert(Spec("string"), values)
    if spec.kind == "cause":
        if isinstance(first, Var):
            return first.name
        is_int = isinstance(first, Literal) and type(first.value) is int
        return first.value if is_int else None
    if spec.kind == "digits":
        if isinstance(first, Range):
            return (first.low, first.high)
        is_int = isinstance(first, Literal) and type(first.value) is int
        return (first.value, first.value) if is_int else None
    if not isinstance(first, Literal):
        return None
    kinds = {"int": (int,), "number": (int, float), "string": (str,), "bool": (bool,)}
    accepted = kinds[spec.kind]
    if isinstance(first.value, bool) and bool not in accepted:
        return None
    return first.value if isinstance(first.value, accepted) else None


def _range_problem(spec: Spec, value: Any) -> str | None:
    """Why a numeric value is out of its spec's range, or None when it fits."""
    if spec.low is None or spec.high is None:
        return None
    numbers = value if isinstance(value, tuple) else (value,)
    if len(numbers) == 2 and numbers[0] > numbers[1]:
        return f"{numbers[0]} is more than {numbers[1]}"
    if all(spec.low <= n <= spec.high for n in numbers):
        return None
    unit = "s" if spec.kind == "duration" else ""
    return f"allowed {spec.low:g}{unit} to {spec.high:g}{unit}"


def check_options(
    items: tuple[ast.Option, ...] | tuple[ast.Setting, ...],
    table: dict[str, Spec],
    report: Report,
    unknown: tuple[str, dict[str, str]],
) -> dict[str, Any]:
    """Validate `name value` items against `table`; return name -> converted value."""
    result: dict[str, Any] = {}
    for item in items:
        name = item.name.text
        spec = table.get(name)
        if spec is None:
            code, words = unknown
            report.emit(code, item.name.span, did_you_mean(name, table), name=name,
                        valid=", ".join(f"`{n}`" for n in sorted(table)) or "none", **words)
            continue
        if name in result:
            report.emit("E403", item.name.span, name=name)
            continue
        value = _convert(spec, item.values)
        if value is None:
            got = _describe(item.values[0]) if len(item.values) == 1 else "a list"
            report.emit("E402", item.span, name=name, expected=_KIND_WORDS[spec.kind], got=got)
        elif problem := _range_problem(spec, value):
            report.emit("E404", item.span, what=f"`{name}`", detail=problem)
        else:
            result[name] = value
    return result


def voice_of(options: dict[str, Any], base: plan.Voice = plan.DEFAULT_VOICE) -> plan.Voice:
    """The voice settings (`voice`, `rate`, `language`) among `options`; each one not
    given comes from `base` (the flow's, which come from the plan's `defaults`)."""
    voice, voice_var = _literal_or_var(options, "voice", base.voice, base.voice_var)
    language, language_var = _literal_or_var(options, "language", base.language,
                                             base.language_var)
    fixed = isinstance(options.get("language"), str) or (
        base.language_fixed and "language" not in options)
    return plan.Voice(voice, options.get("rate", base.rate), language, voice_var, language_var,
                      fixed)


def _literal_or_var(options: dict[str, Any], name: str, literal: str | None,
                    var: str | None) -> tuple[str | None, str | None]:
    """A literal replaces the inherited variable; a variable keeps the literal as the
    fallback for a call where it holds nothing usable."""
    value = options.get(name)
    if isinstance(value, Var):
        return literal, value.name
    if isinstance(value, str):
        return value, None
    return literal, var
