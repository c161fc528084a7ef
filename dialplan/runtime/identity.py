"""Who the caller is, on the word of the registrar in front of the service.

Why a header, and why only from some addresses: Kamailio authenticates a phone's
INVITE (digest, 407) and then tells the engine which extension it is, in an
`X-Dialplan-Extension` header it sets after removing any the phone sent. The
engine cannot check that itself, so it believes the header only when the INVITE
comes from `[serve] identity_sources` (a pool sets its own proxy there). From
anywhere else the header is ignored: a caller who writes it gets nothing by it.
"""

from __future__ import annotations

import logging
import re

import engine

EXTENSION_HEADER = "X-Dialplan-Extension"
_EXTENSION = re.compile(r"[0-9A-Za-z_.+\-]{1,32}")

log = logging.getLogger(__name__)


class CallerIdentity:
    """Reads the authenticated extension of an INVITE, if a believed proxy vouched."""

    def __init__(self, sources: tuple[str, ...] | None) -> None:
        self._believed = engine.TrustedSources(sources) if sources else None

    def extension(self, call: engine.IncomingCall) -> str:
        """The caller's extension, or "" when unknown or not to be believed."""
        claimed = call.header(EXTENSION_HEADER)
        if claimed is None:
            return ""
        if self._believed is None or not self._believed.allows(call.source):
            log.info("call %s: %s from %s ignored (not an identity source)",
                     call.session_id, EXTENSION_HEADER, call.source)
            return ""
        if not _EXTENSION.fullmatch(claimed):
            log.warning("call %s: malformed %s ignored", call.session_id, EXTENSION_HEADER)
            return ""
        return claimed
