"""SessionManagerBuilder: the seed's builder with sensible defaults.

Why a builder: most users set two or three things (port, handler, media
range); the rest (limits, timeouts, log level) keeps safe defaults, and
``build`` validates everything before any socket is opened.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import replace

from engine.admission import ChurnGuard, ResourceLimits, churn_limit
from engine.handlers.auto_answer import AutoAnswerHandler
from engine.handlers.base import CallHandler
from engine.manager.core import SessionManager
from engine.pjsip import SipStack, StackConfig
from engine.stack import Stack
from engine.types import IncomingCall, Priority


class SessionManagerBuilder:
    def __init__(self) -> None:
        self._config = StackConfig()
        self._handler: CallHandler = AutoAnswerHandler()
        self._limits = ResourceLimits()
        self._media_timeout = 0.0
        self._priority_rule: Callable[[IncomingCall], Priority] | None = None
        self._stack: Stack | None = None
        self._strict = False
        self._on_load: Callable[[int], None] | None = None

    def with_sip_port(self, port: int) -> SessionManagerBuilder:
        """UDP port for SIP; 0 lets the OS pick (see ``SessionManager.sip_port``)."""
        self._config = replace(self._config, sip_port=port)
        return self

    def with_bind_address(self, address: str) -> SessionManagerBuilder:
        self._config = replace(self._config, bind_address=address)
        return self

    def with_media_ports(self, low: int, high: int) -> SessionManagerBuilder:
        """RTP port range; give each engine process its own, disjoint range."""
        if not 0 < low < high <= 65535:
            raise ValueError(f"bad media port range {low}-{high}")
        self._config = replace(self._config, media_port_low=low, media_port_high=high)
        return self

    def with_srtp(self, mode: str) -> SessionManagerBuilder:
        """SRTP (SDES) on every call: "off", "optional" (offered, plain accepted) or
        "mandatory" (a caller offering plain RTP gets 488)."""
        if mode not in ("off", "optional", "mandatory"):
            raise ValueError(f"srtp must be off, optional or mandatory, not {mode!r}")
        self._config = replace(self._config, srtp=mode)
        return self

    def with_trusted_sources(self, *networks: str) -> SessionManagerBuilder:
        """Take INVITEs only from these addresses or networks (``10.0.0.5``,
        ``10.0.0.0/24``); others get 403 and no session. None given: from anywhere."""
        for network in networks:
            ipaddress.ip_network(network, strict=False)  # ValueError now, not at the INVITE
        self._config = replace(self._config, trusted_sources=tuple(networks))
        return self

    def with_handler(self, handler: CallHandler) -> SessionManagerBuilder:
        self._handler = handler
        return self

    def with_limits(self, limits: ResourceLimits) -> SessionManagerBuilder:
        self._limits = limits
        return self

    def with_max_sessions(self, count: int, reject_status: int = 503) -> SessionManagerBuilder:
        self._limits = replace(self._limits, max_sessions=count, reject_status=reject_status)
        return self

    def with_priority_rule(self, rule: Callable[[IncomingCall], Priority]) -> SessionManagerBuilder:
        """Classify incoming calls; HIGH and above may use the reserved slots."""
        self._priority_rule = rule
        return self

    def with_media_timeout(self, seconds: float) -> SessionManagerBuilder:
        """Hang up active calls that receive no RTP for this long (0: never)."""
        self._media_timeout = seconds
        return self

    def with_bridge_ports(self, count: int) -> SessionManagerBuilder:
        """Conference-bridge slots: each call, player, recorder and tap holds one while
        it lives; when fewer than 16 are free the engine refuses calls (see docs)."""
        if count < 32:
            raise ValueError("the bridge needs at least 32 slots")
        self._config = replace(self._config, bridge_ports=count)
        return self

    def with_log_level(self, level: int) -> SessionManagerBuilder:
        """pjsip log level routed to the ``engine.pjsip`` logger (0-6)."""
        self._config = replace(self._config, log_level=level)
        return self

    def with_stack(self, stack: Stack) -> SessionManagerBuilder:
        """Run on this stack instead of pjsua2 (tests: ``engine.testing.MemoryStack``).

        The SIP settings (port, address, SRTP, trusted sources, bridge slots) are the
        real stack's: a stack given here brings its own. The media port range still
        sizes the churn guard."""
        self._stack = stack
        return self

    def with_load_listener(self, listener: Callable[[int], None]) -> SessionManagerBuilder:
        """``listener`` hears the number of live call legs (inbound, dialled, transferred)
        each time it may have changed, on the event loop: what this process really
        carries, since a bridged call holds two of its slots."""
        self._on_load = listener
        return self

    def strict(self) -> SessionManagerBuilder:
        """Tests: an illegal session transition raises (and ``stop`` re-raises it)
        instead of being logged at error level and counted in ``manager.stats``."""
        self._strict = True
        return self

    def p2p_mode(self) -> SessionManagerBuilder:
        """Direct peer-to-peer calls, no registrar (the engine's only mode today)."""
        return self

    def build(self) -> SessionManager:
        media_ports = self._config.media_port_high - self._config.media_port_low
        return SessionManager(
            self._stack or SipStack(self._config),
            self._handler,
            self._limits,
            ChurnGuard(churn_limit(media_ports, self._limits.capacity)),
            priority_rule=self._priority_rule,
            media_timeout=self._media_timeout,
            strict=self._strict,
            on_load=self._on_load,
        )
