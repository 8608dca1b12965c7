"""Standard Webhooks signatures (https://www.standardwebhooks.com), beyond what Memos sends.

A webhook's secret is ``whsec_`` + base64 of 32 random bytes. Each request carries
``webhook-id`` (the delivery id, the same on every attempt), ``webhook-timestamp`` (Unix
seconds of this attempt) and ``webhook-signature: v1,<base64 HMAC-SHA256 of
"<id>.<timestamp>.<body>" keyed with the secret's decoded bytes>``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from typing import Final

SECRET_PREFIX: Final = "whsec_"  # noqa: S105 - the format's prefix, not a secret
SECRET_BYTES: Final = 32
# How far a receiver should let a timestamp differ from its clock (the convention's advice).
TOLERANCE_SECONDS: Final = 5 * 60


def new_signing_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def secret_key(secret: str) -> bytes:
    """The HMAC key a ``whsec_`` secret stands for."""
    encoded = secret.removeprefix(SECRET_PREFIX)
    return base64.b64decode(encoded, validate=True)


def signature(secret: str, delivery_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` header value."""
    signed = f"{delivery_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signed_headers(secret: str, delivery_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "webhook-id": delivery_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret, delivery_id, timestamp, body),
    }


def verify(
    secret: str,
    headers: dict[str, str],
    body: bytes,
    *,
    now: int,
    tolerance: int = TOLERANCE_SECONDS,
) -> bool:
    """What a receiver checks: a fresh timestamp and one matching ``v1`` signature."""
    timestamp = headers.get("webhook-timestamp", "")
    if not (timestamp.isascii() and timestamp.isdigit()) or abs(now - int(timestamp)) > tolerance:
        return False
    expected = signature(secret, headers.get("webhook-id", ""), int(timestamp), body)
    offered = headers.get("webhook-signature", "").split()
    return any(hmac.compare_digest(expected, candidate) for candidate in offered)
