"""A hypothesis strategy for valid dialplan sources in any layout, with comments.

A plan is drawn as a token list per construct (routes, globals, a schedule, a queue,
flows of states using every statement kind, branches and expressions), names chosen so
it compiles; then every gap between tokens gets a random separator: spaces, newlines,
blank lines, `;` after statements, `//` and `/* */` comments.
"""

from __future__ import annotations

from hypothesis import strategies as st

from dialplan.fmt.literals import quote

Tokens = list[str]
VARS = ["v1", "v2", "pin", "msg"]
STATE_NAMES = ["start", "menu", "queue", "a1", "_b", "goodbye", "s_2", "wait", "busy", "from"]
KEYWORD_STATES = {"menu", "queue", "wait"}  # `-> menu` would start a menu statement
FLOW_NAMES = ["main", "sub", "other_flow"]
# Any character, \b included; not lone surrogates: no escape may name one (E104).
EXPR_CHARS = st.characters(blacklist_categories=("Cs",))
SAY_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="{}")
SEPARATORS = [" ", " ", " ", "\n", "\n    ", "\n\n", "\t", " /* c */ ", " // c\n", "\n// c\n\n"]


def string(chars: st.SearchStrategy[str] = SAY_CHARS) -> st.SearchStrategy[str]:
    return st.text(chars, max_size=8).map(quote)


@st.composite
def expression(draw: st.DrawFn, depth: int = 0) -> Tokens:
    if depth < 2 and draw(st.booleans()):
        op = draw(st.sampled_from(["and", "or"]))
        return ["(", *draw(expression(depth + 1)), op, *draw(expression(depth + 1)), ")"]
    if depth < 2 and draw(st.integers(0, 5)) == 0:
        return ["not", *draw(expression(depth + 1))]
    var = draw(st.sampled_from([*VARS, "caller", "called"]))
    kind = draw(st.sampled_from(["compare", "in", "matches", "during", "bool", "var", "nested",
                                 "arith", "join"]))
    if kind == "arith":  # `-number(v1) * (2 - 0.5) % 3 >= -1.25`: well typed whatever v1 is
        op = draw(st.sampled_from(["+", "-", "*", "/", "%"]))
        return ["-", "number", "(", var, ")", op, "(", "2", "-", "0.5", ")",
                draw(st.sampled_from(["%", "*"])), "3", ">=", "-", "1.25"]
    if kind == "join":  # text + text, with a function and a dotted name
        return ["upper", "(", "text", "(", var, ")", ")", "+", draw(string(EXPR_CHARS)), "!=",
                "account.name"]
    if kind == "nested":  # `(a == b) == true`: comparisons do not chain without parentheses
        return ["(", var, "==", var, ")", draw(st.sampled_from(["==", "!="])), "true"]
    if kind == "compare":
        op = draw(st.sampled_from(["==", "!=", "<", "<=", ">", ">="]))
        literal = draw(st.one_of(string(EXPR_CHARS), st.integers(0, 10**6).map(str),
                                 st.sampled_from(["1.5", "0.25", "2.50", "0.00001"])))
        return [var, op, literal]
    if kind == "in":
        items = draw(st.lists(string(EXPR_CHARS), max_size=3))
        joined = ", ".join(items)
        return [var, *draw(st.sampled_from([["in"], ["not", "in"]])), f"[{joined}]"]
    if kind == "matches":
        return [var, "matches", draw(st.sampled_from(['"_2XX"', '"_X."', '"100"']))]
    if kind == "during":
        return ["during", "hours"]
    if kind == "bool":
        return [draw(st.sampled_from(["true", "false"]))]
    return [var]


def branches(draw: st.DrawFn, keys: list[list[str]], flow: list[str], retry: bool,
             depth: int) -> Tokens:
    tokens = ["{"]
    for key_list in keys:
        tokens += [", ".join(key_list), "->"]
        shorthand = [target for target in flow if target not in KEYWORD_STATES]
        if shorthand and draw(st.booleans()):
            tokens.append(draw(st.sampled_from(shorthand)))
        else:
            tokens += draw(body(flow, retry, depth + 1, min_size=1))
    return [*tokens, "}"]


def event_keys(draw: st.DrawFn, events: list[str]) -> list[list[str]]:
    chosen = draw(st.lists(st.sampled_from(events), unique=True, max_size=len(events)))
    return [[event] for event in chosen]


@st.composite
def statement(draw: st.DrawFn, flow: list[str], retry: bool, depth: int) -> Tokens:
    simple = ["answer", "ringing", "progress", "return", "say", "play", "set", "goto", "run",
              "record", "hangup", "wait"]
    nested = ["if", "menu", "collect", "listen", "transfer", "dial", "queue"] if depth < 2 else []
    kind = draw(st.sampled_from(simple + nested + (["retry"] if retry else [])))
    if kind in ("answer", "ringing", "progress", "return", "retry"):
        return [kind]
    if kind == "say":
        options = draw(st.sampled_from([[], ["voice", '"en"'],
                                        ["rate", "150", "language", '"de"']]))
        return ["say", draw(string()), *options]
    if kind == "play":
        return ["play", ", ".join(draw(st.lists(string(), min_size=1, max_size=3)))]
    if kind == "set":
        tokens = ["set", draw(st.sampled_from(VARS)), "=", *draw(expression())]
        if draw(st.integers(0, 3)) == 0:
            return [*tokens, "{", "failed", "->", "hangup", "}"]
        return tokens
    if kind == "goto":
        return ["goto", draw(st.sampled_from(flow))]
    if kind == "run":
        return ["run", "sub"]
    if kind == "record":
        return ["record", "msg", *draw(st.sampled_from([[], ["max", "2m", "finish", '"#"'],
                                                         ["beep", "false"]]))]
    if kind == "hangup":
        return ["hangup", *draw(st.sampled_from([[], ["cause", "busy"], ["cause", "503"]]))]
    if kind == "wait":
        return ["wait", draw(st.sampled_from(["2s", "500ms", "1.5s", "1m"]))]
    if kind == "if":
        tokens = ["if", *draw(expression()), "{", *draw(body(flow, retry, depth + 1)), "}"]
        for _ in range(draw(st.integers(0, 2))):
            tokens += ["elif", *draw(expression()), "{", *draw(body(flow, retry, depth + 1)), "}"]
        if draw(st.booleans()):
            tokens += ["else", "{", *draw(body(flow, retry, depth + 1)), "}"]
        return tokens
    return draw(input_or_call(kind, flow, depth))


@st.composite
def input_or_call(draw: st.DrawFn, kind: str, flow: list[str], depth: int) -> Tokens:
    if kind == "menu":
        digits = draw(st.lists(st.sampled_from(["1", "2", "*", "#", "11", "*9"]), unique=True,
                               min_size=1, max_size=3))
        words = draw(st.lists(st.sampled_from(['"sales"', '"help me"', '"été"']), unique=True,
                              max_size=2))
        keys = [[k] for k in digits] + ([words] if words else [])
        keys += event_keys(draw, ["noinput", "nomatch", "exhausted"])
        options = draw(st.sampled_from([[], ["timeout", "5s", "attempts", "3"],
                                        ["confidence", "0.00001", "barge_in", "false"]]))
        return ["menu", draw(string()), *options, *branches(draw, keys, flow, True, depth)]
    if kind in ("collect", "listen"):
        var = draw(st.sampled_from(["pin", "v2"]))
        prompt = draw(st.sampled_from([[], [draw(string())]]))
        options = ["digits", "4..8"] if kind == "collect" else ["phrases", '"yes", "no"']
        keys = event_keys(draw, ["ok", "noinput", "nomatch", "exhausted"])
        tail = branches(draw, keys, flow, True, depth) if keys or draw(st.booleans()) else []
        if kind == "collect" and not prompt and not tail and draw(st.booleans()):
            return ["collect", var]  # absorbs a following string: a formatter hazard
        return [kind, var, *prompt, *options, *tail]
    events = {"transfer": ["failed"], "dial": ["answered", "busy", "noanswer", "failed"],
              "queue": ["answered", "noanswer", "failed"]}[kind]
    heads = {"transfer": ['"sip:200@127.0.0.1:5070"'],
             "dial": ['"sip:a@127.0.0.1", "sip:b@127.0.0.1"', "timeout", "25s"],
             "queue": ["q1"]}
    keys = event_keys(draw, events)
    tail = branches(draw, keys, flow, False, depth) if keys or draw(st.booleans()) else []
    return [kind, *heads[kind], *tail]


@st.composite
def body(draw: st.DrawFn, flow: list[str], retry: bool, depth: int, min_size: int = 0) -> Tokens:
    statements = draw(st.lists(statement(flow, retry, depth), min_size=min_size, max_size=3))
    tokens = []
    for tokens_of in statements:
        absorbs = len(tokens_of) == 2 and tokens_of[0] == "collect"
        tokens += [*tokens_of, *([";"] if absorbs else draw(st.sampled_from([[], [";"]])))]
    return tokens


@st.composite
def flow(draw: st.DrawFn, name: str) -> Tokens:
    states = draw(st.lists(st.sampled_from(STATE_NAMES), min_size=1, max_size=3, unique=True))
    targets = [*states, "sub", f"{name}.{states[0]}"]
    tokens = ["flow", name, "{"]
    if states[0] == "start" and draw(st.booleans()):
        tokens += draw(body(targets, False, 0, min_size=1))  # the implicit start state
        states = states[1:]
    for state in states:
        tokens += [f"{state}:", *draw(body(targets, False, 0))]
    return [*tokens, "}"]


PRELUDE = [["set", "v1", "=", "1"], ["set", "v2", "=", '"x"'], ["set", "pin", "=", '""'],
           ["set", "msg", "=", '""'], ["set", "account.name", "=", '"n"'],
           ["schedule", "hours", "{", 'timezone "Europe/Berlin"', "mon-fri", "09:00-17:00",
            "holiday", "2026-12-24..2026-12-26", "holiday", "2027-01-01", "}"],
           ["queue", "q1", "{", "agents", '"sip:a@127.0.0.1"', "max_wait", "3m", "}"]]
ROUTES = [["route", "100", "->", "main"], ["route", "_2XX", ",", "300", "->", "main"],
          ["route", '"alice"', "from", '"_49X."', "->", "main"], ["route", "default", "->", "sub"]]


@st.composite
def plan_source(draw: st.DrawFn) -> str:
    """A whole plan that compiles: its text in a random layout with comments."""
    routes = draw(st.lists(st.sampled_from(range(len(ROUTES))), min_size=1, unique=True))
    items = [*PRELUDE, *(ROUTES[index] for index in routes)]
    items = draw(st.permutations(items))
    items += [draw(flow("main")), draw(flow("sub"))]
    tokens = [token for item in items for token in item]
    out = []
    for number, token in enumerate(tokens):  # numbered comments: their order is checkable
        out += [token, draw(st.sampled_from(SEPARATORS)).replace("c", f"c{number}")]
    return draw(st.sampled_from(["", "// head\n\n", "/* a\n   b */\n"])) + "".join(out)
