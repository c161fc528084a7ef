"""SIP over TLS on the proxy: Kamailio's tls module (Debian `kamailio-tls-modules`) with
the operator's certificate and key, or, when none is configured, a self-signed pair made
once with `openssl` (for trying it out: phones must be told to accept it)."""

from __future__ import annotations

import dataclasses
import ipaddress
import logging
import subprocess
from pathlib import Path

from .kamailio import ProxySettings

log = logging.getLogger("dialplan.proxy")


def with_certificate(settings: ProxySettings, folder: Path) -> ProxySettings:
    """`settings` with a certificate and key wherever TLS is on and none was given."""
    if not settings.tls_port or settings.certificate is not None:
        return settings
    certificate, key = self_signed_pair(folder, settings.listen)
    return dataclasses.replace(settings, certificate=certificate, private_key=key)


def self_signed_pair(folder: Path, host: str) -> tuple[Path, Path]:
    """A self-signed certificate for `host` and its key in `folder` (kept if there)."""
    certificate, key = folder / "tls-certificate.pem", folder / "tls-key.pem"
    if certificate.exists() and key.exists():
        return certificate, key
    folder.mkdir(parents=True, exist_ok=True)
    try:
        name = f"IP:{ipaddress.ip_address(host)}"
    except ValueError:
        name = f"DNS:{host}"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days",
                    "825", "-subj", f"/CN={host}", "-addext", f"subjectAltName={name}",
                    "-keyout", str(key), "-out", str(certificate)],
                   capture_output=True, check=True, timeout=60)
    key.chmod(0o600)
    log.warning("TLS: no certificate configured; made a self-signed one: %s", certificate)
    return certificate, key
