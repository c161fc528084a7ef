"""The pjsua2 adapter: the only package in ``engine`` that imports pjsua2.

Everything above it talks to :class:`SipStack` (asyncio coroutines, snake_case)
and receives plain-data signals from :mod:`engine.pjsip.signals`.
"""

from engine.pjsip.endpoint import MAX_CALLS_COMPILED, StackConfig
from engine.pjsip.stack import SipStack
from engine.stack import StackError, UnknownSession

__all__ = ["MAX_CALLS_COMPILED", "SipStack", "StackConfig", "StackError", "UnknownSession"]
