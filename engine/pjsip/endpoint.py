"""Endpoint creation and destruction with the idle-cheap settings.

Why these settings (see the pjsua2 notes): ``threadCnt=0`` +
``mainThreadOnly=True`` put every SIP callback on the one thread that owns the
endpoint; ``medConfig.threadCnt=0`` + ``hasIoqueue=False`` make RTP share the
SIP socket poll, so an idle process wakes about once a second instead of a
hundred times. 8 kHz suits a G.711 IVR. VAD is on so that silence is not sent:
a call hears a prompt, music or its peer as before, but while the bridge has nothing
for it, it gets no RTP (while the clock ticks for other calls, pjmedia's G.711 VAD
lets one packet through after 5 s of suppressed silence). The null audio device
means no sound card is ever opened; the hub ticks the bridge only while a call needs
it (``clock.py``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pjsua2 as pj

from engine.pjsip.media import CLOCK_RATE, FRAME_USEC
from engine.stack import StackError

LOG = logging.getLogger("engine.pjsip")
MAX_CALLS_COMPILED = 4  # PJSUA_MAX_CALLS in the PyPI wheel; higher values are clamped.


@dataclass(frozen=True, slots=True)
class StackConfig:
    """Everything the adapter needs to bring up one endpoint."""

    sip_port: int = 5060
    bind_address: str = "127.0.0.1"
    media_port_low: int = 10000
    media_port_high: int = 10100
    max_calls: int = MAX_CALLS_COMPILED
    bridge_ports: int = 1024
    user_agent: str = "dialplan-engine"
    log_level: int = 2
    idle_poll_ms: int = 1000
    # With calls but no media flowing the poll may wait as long as when idle: sockets,
    # pjsip's timers and the work queue's wake-up datagram all end it early, and while
    # media flows the bridge clock's next tick bounds it (20 ms).
    busy_poll_ms: int = 1000
    srtp: str = "off"  # "off" | "optional" | "mandatory": SRTP keyed by SDES in the SDP
    trusted_sources: tuple[str, ...] = ()  # networks INVITEs may come from (empty: any)


class _LogBridge(pj.LogWriter):
    """Routes pjsip's log lines into Python logging instead of the console."""

    def write(self, entry: pj.LogEntry) -> None:
        if LOG.isEnabledFor(logging.DEBUG):  # reading the entry crosses into C
            LOG.debug("%s", entry.msg.rstrip())


def create_endpoint(config: StackConfig) -> tuple[pj.Endpoint, _LogBridge, int]:
    """Create, init and start the endpoint; return it, its log writer and transport id."""
    ep = pj.Endpoint()
    ep.libCreate()
    writer = _LogBridge()
    try:
        ep.libInit(_ep_config(config, writer))
        tcfg = pj.TransportConfig()
        tcfg.port = config.sip_port
        tcfg.boundAddress = config.bind_address
        transport_id = ep.transportCreate(pj.PJSIP_TRANSPORT_UDP, tcfg)
        ep.libStart()
        ep.audDevManager().setNoDev()  # the hub starts the null clock per call
    except pj.Error as exc:
        ep.libDestroy()
        raise StackError(exc.status, exc.reason, exc.title) from None
    return ep, writer, transport_id


def _ep_config(config: StackConfig, writer: _LogBridge) -> pj.EpConfig:
    cfg = pj.EpConfig()
    cfg.uaConfig.threadCnt = 0
    cfg.uaConfig.mainThreadOnly = True
    cfg.uaConfig.maxCalls = min(config.max_calls, MAX_CALLS_COMPILED)
    cfg.uaConfig.userAgent = config.user_agent
    cfg.medConfig.threadCnt = 0
    cfg.medConfig.hasIoqueue = False
    cfg.medConfig.clockRate = CLOCK_RATE
    cfg.medConfig.sndClockRate = CLOCK_RATE
    cfg.medConfig.audioFramePtime = FRAME_USEC // 1000  # the frame the hub's clock ticks
    cfg.medConfig.noVad = False  # silence (a call nothing plays to) is not sent
    # With the null sound device's clock the wheel's bridge stopped freeing a call's
    # slot after ~32 calls (docs/engine.md); the hub's own clock frees every one.
    # A large bridge stays as a margin; the manager stops admitting calls before
    # it is full so the process can be recycled.
    cfg.medConfig.maxMediaPorts = config.bridge_ports
    cfg.logConfig.level = config.log_level
    cfg.logConfig.consoleLevel = config.log_level  # what reaches the writer
    cfg.logConfig.writer = writer
    cfg.logConfig.decor = 0
    return cfg


def local_port(ep: pj.Endpoint, transport_id: int) -> int:
    """The UDP port the SIP transport actually bound (useful when asked for 0)."""
    name = ep.transportGetInfo(transport_id).localName
    return int(name.rsplit(":", 1)[1])


def active_ports() -> int:
    """Conference bridge slots in use (slot 0, the sound device, included)."""
    return int(pj.Endpoint.instance().mediaActivePorts())
