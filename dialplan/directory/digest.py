"""Digest credentials: what is stored instead of a password, and passwords made for
whoever did not bring one.

HA1 = MD5("number:realm:password") (RFC 2617/7616 with MD5, what every SIP phone
answers with); HA1B = MD5("number@realm:realm:password") as Kamailio's kamctl makes it,
for phones that send the user as user@domain. The plain password is never stored.
"""

from __future__ import annotations

import hashlib
import secrets
import string

MIN_PASSWORD = 8  # characters; a shorter password is refused
MAX_PASSWORD = 128
GENERATED_LENGTH = 20  # letters and digits: ~119 bits, and typeable on a phone's keypad
_ALPHABET = string.ascii_letters + string.digits


def _md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def ha1(number: str, realm: str, password: str) -> str:
    return _md5(f"{number}:{realm}:{password}")


def ha1b(number: str, realm: str, password: str) -> str:
    return _md5(f"{number}@{realm}:{realm}:{password}")


def generate_password() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(GENERATED_LENGTH))


def check_password(password: str) -> str:
    """`password` if it may be used; a ValueError saying why not."""
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise ValueError(f"a password needs {MIN_PASSWORD} to {MAX_PASSWORD} characters")
    if not password.isprintable() or password != password.strip():
        raise ValueError("a password may not hold control characters or outer spaces")
    return password
