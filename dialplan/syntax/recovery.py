"""What the LALR parser would accept, asked of its parse table alone, in constant time.

lark answers "which tokens fit here?" (`accepts()`) and "would this insertion work?"
(`copy()` and a trial feed) by copying the parser's stacks, the value stack deeply, once
per candidate token: on one long line of junk that makes error recovery quadratic (a
5 KB line took seconds). Here a trial feeds token *types* to the parse table on a small
overlay of the state stack, so it costs the reductions it makes, never the depth of
the stack or the size of what was parsed before.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from lark import UnexpectedToken
from lark.parsers.lalr_analysis import Shift
from lark.parsers.lalr_parser_state import ParseConf


def feeds(conf: ParseConf[Any], stack: Sequence[Any], types: Iterable[str]) -> bool:
    """Whether tokens of `types`, fed in order from the state `stack`, are all taken
    (shifted, or for `$END` reduced to the end state), as lark's `feed_token` decides.

    `stack` is only read: states popped by a reduction are skipped by lowering `floor`,
    states pushed go on a short list of their own.
    """
    states, floor = conf.states, len(stack)
    pushed: list[Any] = []
    for kind in types:
        while True:
            top = pushed[-1] if pushed else stack[floor - 1]
            action = states[top].get(kind)
            if action is None:
                return False
            verb, arg = action
            if verb is Shift:
                pushed.append(arg)
                break
            size = len(arg.expansion)
            taken = min(size, len(pushed))
            del pushed[len(pushed) - taken:]
            floor -= size - taken
            below = pushed[-1] if pushed else stack[floor - 1]
            pushed.append(states[below][arg.origin.name][1])
            if pushed[-1] == conf.end_state:
                break
    return True


def accepts(error: UnexpectedToken) -> frozenset[str]:
    """The terminals the parser could take where `error` stopped it (lark's `accepts()`,
    without copying anything). Empty when the error carries no parser state."""
    state = error.state
    if state is None:
        return frozenset()
    stack = state.state_stack
    return frozenset(kind for kind in state.parse_conf.states[stack[-1]]
                     if kind.isupper() and feeds(state.parse_conf, stack, (kind,)))


def expected(error: UnexpectedToken) -> frozenset[str]:
    """What to name as expected: the terminals that fit, else those the state lists."""
    return accepts(error) or frozenset(error.expected)
