"""Local SIP identities: one default account plus one per distinct From URI.

Why several accounts: pjsua takes the From header of an outgoing INVITE from
the account, so ``make_call(from_uri, ...)`` needs an account whose id is that
URI. The wheel aborts on a 9th account, so at most ``MAX_EXTRA`` extra ones are
created; beyond that calls go out from the default identity (documented).
None of them registers anywhere: the engine is a peer or sits behind a proxy.
"""

from __future__ import annotations

from typing import Protocol

import pjsua2 as pj

from engine.pjsip.call import guarded
from engine.pjsip.endpoint import StackConfig

MAX_EXTRA = 6
SRTP_USE = {
    "off": pj.PJMEDIA_SRTP_DISABLED,
    "optional": pj.PJMEDIA_SRTP_OPTIONAL,
    "mandatory": pj.PJMEDIA_SRTP_MANDATORY,
}


class IncomingCalls(Protocol):
    """Who takes inbound INVITEs (the hub), on the pjsua2 thread."""

    def on_incoming(
        self, account: PjAccount, call_id: int, whole_msg: str, source: str
    ) -> None: ...


class PjAccount(pj.Account):
    """An account whose only job is to hand inbound INVITEs to the hub."""

    def __init__(self, hub: IncomingCalls) -> None:
        super().__init__()
        self._hub = hub

    @guarded
    def onIncomingCall(self, prm: pj.OnIncomingCallParam) -> None:
        self._hub.on_incoming(self, prm.callId, prm.rdata.wholeMsg, prm.rdata.srcAddress)


class Accounts:
    """Creates and owns the accounts (pjsua2 thread only)."""

    def __init__(
        self, hub: IncomingCalls, config: StackConfig, transport_id: int, sip_port: int
    ) -> None:
        self._hub = hub
        self._config = config
        self._transport_id = transport_id
        self._by_uri: dict[str, PjAccount] = {}
        self.default = self._create(f"sip:engine@{config.bind_address}:{sip_port}", True)

    def for_from(self, from_uri: str | None) -> PjAccount:
        """The account to place a call from ``from_uri`` (created on first use)."""
        if not from_uri:
            return self.default
        if from_uri not in self._by_uri:
            if len(self._by_uri) >= MAX_EXTRA:
                return self.default
            self._by_uri[from_uri] = self._create(from_uri, False)
        return self._by_uri[from_uri]

    def shutdown(self) -> None:
        """Shut every account down and drop the references (before libDestroy)."""
        for acc in [*self._by_uri.values(), self.default]:
            acc.shutdown()
        self._by_uri.clear()
        del self.default

    def _create(self, id_uri: str, make_default: bool) -> PjAccount:
        cfg = pj.AccountConfig()
        cfg.idUri = id_uri
        cfg.sipConfig.transportId = self._transport_id
        cfg.mediaConfig.transportConfig.port = self._config.media_port_low
        cfg.mediaConfig.transportConfig.portRange = max(
            0, self._config.media_port_high - self._config.media_port_low
        )
        cfg.mediaConfig.transportConfig.boundAddress = self._config.bind_address
        # SDES keys travel in the SDP: 0 lets them cross plain UDP signalling, which the
        # engine gets from the proxy on the host (TLS ends at the proxy, see docs/serve.md)
        cfg.mediaConfig.srtpUse = SRTP_USE[self._config.srtp]
        cfg.mediaConfig.srtpSecureSignaling = 0
        acc = PjAccount(self._hub)
        acc.create(cfg, make_default)
        return acc
