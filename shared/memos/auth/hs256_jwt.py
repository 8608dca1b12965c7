"""Compact HS256 JSON Web Tokens (RFC 7519 over RFC 7515), the one kind this server signs.

Only what HS256 needs: base64url segments, a JSON header and payload, an HMAC-SHA256 signature
compared in constant time. A token is written byte for byte as PyJWT writes it (header keys
sorted, both parts compact JSON), and read the way PyJWT reads one (three dot-separated
segments, base64url with the padding put back, a JSON object for header and payload). Header
checks (algorithm, key id) and claim checks are :mod:`memos.auth.tokens`' business.
Why not PyJWT itself: see "JWTs are signed and checked by our own HS256 code" in
``docs/decisions.md``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from typing import Any, Final

from msgspec import Struct

ALGORITHM: Final = "HS256"
# Header parameters that change how the rest must be read; no token of ours has them.
_UNSUPPORTED_HEADER_PARAMETERS: Final = ("crit", "b64")


class MalformedTokenError(Exception):
    """The text is not a compact JWS with a JSON object header and payload."""


class SignedToken(Struct, frozen=True):
    """A token taken apart; nothing in it is trusted until :meth:`signed_with` says so."""

    header: dict[str, Any]
    signing_input: bytes
    payload: bytes
    signature: bytes

    def signed_with(self, secret: bytes) -> bool:
        return hmac.compare_digest(self.signature, _mac(secret, self.signing_input))

    def claims(self) -> dict[str, Any]:
        """The payload as a JSON object (read it only once the signature has been checked)."""
        return _json_object(self.payload)


def encode(claims: dict[str, Any], secret: bytes, *, key_id: str) -> str:
    """``claims`` signed with ``secret`` under the header ``{"alg","kid","typ"}``."""
    header = {"alg": ALGORITHM, "kid": key_id, "typ": "JWT"}
    header_json = json.dumps(header, separators=(",", ":"), sort_keys=True).encode()
    payload_json = json.dumps(claims, separators=(",", ":")).encode()
    signing_input = _b64encode(header_json) + b"." + _b64encode(payload_json)
    return (signing_input + b"." + _b64encode(_mac(secret, signing_input))).decode()


def decode(token: str) -> SignedToken:
    """Take ``token`` apart; raises :class:`MalformedTokenError` when it is not a JWS."""
    try:
        raw = token.encode()
    except UnicodeEncodeError:  # a lone surrogate, from a JSON escape
        raise MalformedTokenError("not text") from None
    signing_input, dot, signature_segment = raw.rpartition(b".")
    header_segment, dot2, payload_segment = signing_input.partition(b".")
    if not dot or not dot2:
        raise MalformedTokenError("not enough segments")
    header = _json_object(_b64decode(header_segment))
    if not isinstance(header.get("kid", ""), str) or any(
        name in header for name in _UNSUPPORTED_HEADER_PARAMETERS
    ):
        raise MalformedTokenError("unsupported header")
    return SignedToken(
        header=header,
        signing_input=signing_input,
        payload=_b64decode(payload_segment),
        signature=_b64decode(signature_segment),
    )


def _mac(secret: bytes, signing_input: bytes) -> bytes:
    return hmac.new(secret, signing_input, hashlib.sha256).digest()


def _b64encode(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def _b64decode(segment: bytes) -> bytes:
    try:
        return base64.urlsafe_b64decode(segment + b"=" * (-len(segment) % 4))
    except (binascii.Error, ValueError):
        raise MalformedTokenError("bad base64url") from None


def _json_object(data: bytes) -> dict[str, Any]:
    try:
        document = json.loads(data)
    except (ValueError, RecursionError):
        raise MalformedTokenError("not JSON") from None
    if not isinstance(document, dict):
        raise MalformedTokenError("not a JSON object")
    return document
