"""What the pool's admin endpoint and metrics read of the pool: a small typed view the
supervisor hands them, so neither imports the supervisor (and the supervisor, which
starts them, imports both without a cycle)."""

from __future__ import annotations

from typing import Protocol

from dialplan.config import ServeConfig

from .workers import LoadBoard, Worker


class PoolView(Protocol):
    """The pool as its pages see it: read at each request, asked to act by two calls."""

    @property
    def config(self) -> ServeConfig: ...

    @property
    def workers(self) -> list[Worker]: ...

    @property
    def board(self) -> LoadBoard: ...

    @property
    def stopping(self) -> bool: ...

    @property
    def lost_calls(self) -> int: ...

    @property
    def hung_kills(self) -> int: ...

    def proxy_health(self) -> dict[str, object]:
        """Kamailio's state: managed, up, pid, restarts, ..."""
        ...

    def proxy_refusals(self) -> dict[str, int]:
        """The proxy's refusal counters: edge_refusals, engine_refusals (or none)."""
        ...

    def request_restart(self) -> None:
        """A rolling restart of every worker."""
        ...

    def request_reload(self) -> None:
        """A checked reload of every worker."""
        ...
