"""A manager on the in-memory stack, strict: an illegal session transition fails the test."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from engine import AutoAnswerHandler, CallHandler, SessionManager, SessionManagerBuilder
from engine.testing import MemoryStack

Scenario = Callable[[SessionManager, MemoryStack], Awaitable[None]]


def build(stack: MemoryStack, handler: CallHandler | None = None,
          builder: SessionManagerBuilder | None = None) -> SessionManager:
    builder = builder or SessionManagerBuilder()
    return builder.with_stack(stack).with_handler(handler or AutoAnswerHandler()).strict().build()


@pytest.fixture
def stack() -> MemoryStack:
    return MemoryStack()
