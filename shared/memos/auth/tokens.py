"""Access and refresh tokens: HS256 JWTs shaped exactly like Memos v0.26.2's.

Access tokens live 15 minutes and are checked without a store lookup. Refresh tokens live 30 days
and travel only in the ``memos_refresh`` cookie; besides Memos' claims they carry ``sid``, the
sign-in session they belong to. The server keeps one record per session holding the session's
current ``tid``, so a refresh token whose ``tid`` is no longer current is a replay and revokes the
whole session (Memos only rejects the replayed token).

Key rotation needs no code change: tokens are always signed with the first (current) secret and
verified against every secret given, current first, so tokens signed with the previous secret keep
working until they expire. Parsing raises :class:`TokenError` with a short reason meant for logs
and error text; the token itself is never put into a message.
"""

from __future__ import annotations

import re
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from msgspec import Struct

from memos.auth import hs256_jwt

if TYPE_CHECKING:
    from collections.abc import Sequence

ISSUER: Final = "memos"
ALGORITHM: Final = "HS256"
KEY_ID: Final = "v1"
# Claim values, not credentials (S105 flags the word "token" in their names).
ACCESS_TOKEN_AUDIENCE: Final = "user.access-token"  # noqa: S105
REFRESH_TOKEN_AUDIENCE: Final = "user.refresh-token"  # noqa: S105
ACCESS_TOKEN_TYPE: Final = "access"  # noqa: S105
REFRESH_TOKEN_TYPE: Final = "refresh"  # noqa: S105
ACCESS_TOKEN_LIFETIME: Final = timedelta(minutes=15)
REFRESH_TOKEN_LIFETIME: Final = timedelta(days=30)

_INT32_MIN = -(2**31)
_INT32_MAX = 2**31 - 1
# What Go's strconv.ParseInt(s, 10, 32) accepts: an optional sign and decimal digits only.
_DECIMAL = re.compile(r"[+-]?[0-9]+")

# Claims every token must carry (a null counts as missing), in the order they are checked, and
# what their absence is reported as.
_REQUIRED_CLAIMS: Final = ("exp", "iat", "iss", "aud", "sub")
_MISSING_CLAIM_REASONS: Final = {
    "aud": "invalid audience",
    "iss": "invalid issuer",
    "sub": "invalid subject",
}


class TokenError(Exception):
    """A token that is not valid; ``reason`` says why (``"invalid audience"``, ...)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AccessClaims(Struct, frozen=True):
    """What a valid access token says. Role, status and username are as of issue time."""

    user_id: int
    username: str
    role: str
    status: str
    issued_at: datetime
    expires_at: datetime


class RefreshClaims(Struct, frozen=True):
    """What a valid refresh token says."""

    user_id: int
    token_id: str
    session_id: str
    issued_at: datetime
    expires_at: datetime


def new_token_id() -> str:
    """A fresh refresh-token id (the ``tid`` claim): a random UUID v4."""
    return str(uuid.uuid4())


def new_session_id() -> str:
    """A fresh sign-in session id (the ``sid`` claim): a random UUID v4."""
    return str(uuid.uuid4())


def mint_access_token(
    *,
    user_id: int,
    username: str,
    role: str,
    status: str,
    secret: bytes,
    now: datetime | None = None,
) -> tuple[str, datetime]:
    """A signed access token and its exact expiry (issue time + 15 min, sub-second precision).

    The JWT's ``iat``/``exp`` are whole seconds, so two tokens minted in the same second for the
    same user are identical, as in Memos.
    """
    issued_at = _now(now)
    expires_at = issued_at + ACCESS_TOKEN_LIFETIME
    claims = {
        "iss": ISSUER,
        "aud": [ACCESS_TOKEN_AUDIENCE],
        "sub": str(user_id),
        "iat": _unix(issued_at),
        "exp": _unix(expires_at),
        "type": ACCESS_TOKEN_TYPE,
        "role": role,
        "status": status,
        "username": username,
    }
    return _sign(claims, secret), expires_at


def mint_refresh_token(
    *,
    user_id: int,
    token_id: str,
    session_id: str,
    secret: bytes,
    now: datetime | None = None,
) -> tuple[str, datetime]:
    """A signed refresh token and its exact expiry (issue time + 30 days, sub-second precision)."""
    issued_at = _now(now)
    expires_at = issued_at + REFRESH_TOKEN_LIFETIME
    claims = {
        "iss": ISSUER,
        "aud": [REFRESH_TOKEN_AUDIENCE],
        "sub": str(user_id),
        "tid": token_id,
        "sid": session_id,
        "type": REFRESH_TOKEN_TYPE,
        "iat": _unix(issued_at),
        "exp": _unix(expires_at),
    }
    return _sign(claims, secret), expires_at


def parse_access_token(token: str, secrets: Sequence[bytes]) -> AccessClaims:
    """The claims of a valid access token; raises :class:`TokenError` otherwise."""
    claims = _verify(token, secrets, audience=ACCESS_TOKEN_AUDIENCE, token_type=ACCESS_TOKEN_TYPE)
    return AccessClaims(
        user_id=_user_id(claims),
        username=_optional_text(claims, "username"),
        role=_optional_text(claims, "role"),
        status=_optional_text(claims, "status"),
        issued_at=_timestamp(claims, "iat"),
        expires_at=_timestamp(claims, "exp"),
    )


def parse_refresh_token(token: str, secrets: Sequence[bytes]) -> RefreshClaims:
    """The claims of a valid refresh token; raises :class:`TokenError` otherwise.

    Only the token itself is checked here; whether its session is still current is the store's
    business.
    """
    claims = _verify(token, secrets, audience=REFRESH_TOKEN_AUDIENCE, token_type=REFRESH_TOKEN_TYPE)
    return RefreshClaims(
        user_id=_user_id(claims),
        token_id=_required_text(claims, "tid", "missing token id"),
        session_id=_required_text(claims, "sid", "missing session id"),
        issued_at=_timestamp(claims, "iat"),
        expires_at=_timestamp(claims, "exp"),
    )


def _now(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(UTC)


def _unix(moment: datetime) -> int:
    return int(moment.timestamp())


def _sign(claims: dict[str, Any], secret: bytes) -> str:
    if not secret:
        raise ValueError("the signing secret is empty")
    return hs256_jwt.encode(claims, secret, key_id=KEY_ID)


def _verify(
    token: str, secrets: Sequence[bytes], *, audience: str, token_type: str
) -> dict[str, Any]:
    if not secrets:
        raise ValueError("no secret to verify tokens with")
    try:
        signed = hs256_jwt.decode(token)
    except hs256_jwt.MalformedTokenError:
        raise TokenError("malformed token") from None
    if signed.header.get("alg") != ALGORITHM:
        raise TokenError("unexpected signing method")
    if signed.header.get("kid") != KEY_ID:
        raise TokenError("unexpected key id")
    if not any(signed.signed_with(secret) for secret in secrets):
        raise TokenError("invalid signature")
    try:
        claims = signed.claims()
    except hs256_jwt.MalformedTokenError:
        raise TokenError("malformed token") from None
    _check_registered_claims(claims, audience)
    if claims.get("type") != token_type:
        raise TokenError("invalid token type")
    return claims


def _check_registered_claims(claims: dict[str, Any], audience: str) -> None:
    """The registered claims, checked in PyJWT's order with its rules (the ones Memos' Go
    library applies too): required claims present, ``nbf`` and ``exp`` against the clock with no
    leeway, ``iat`` only required, the issuer, the audience (a string or a list of strings), a
    string subject and ``jti``."""
    for name in _REQUIRED_CLAIMS:
        if claims.get(name) is None:
            raise TokenError(_MISSING_CLAIM_REASONS.get(name, f"missing claim {name}"))
    now = time.time()
    if "nbf" in claims and _numeric_date(claims["nbf"]) > now:
        raise TokenError("token is not valid yet")
    if _numeric_date(claims["exp"]) <= now:
        raise TokenError("token is expired")
    if claims["iss"] != ISSUER:
        raise TokenError("invalid issuer")
    audiences = claims["aud"]
    if isinstance(audiences, str):
        audiences = [audiences]
    if not isinstance(audiences, list) or not all(isinstance(aud, str) for aud in audiences):
        raise TokenError("invalid audience")
    if audience not in audiences:
        raise TokenError("invalid audience")
    if not isinstance(claims["sub"], str):
        raise TokenError("invalid subject")
    if not isinstance(claims.get("jti", ""), str):
        raise TokenError("malformed token")


def _numeric_date(value: Any) -> int:
    try:
        return int(value)
    except (ValueError, TypeError, OverflowError):
        raise TokenError("malformed token") from None


def _user_id(claims: dict[str, Any]) -> int:
    subject = claims["sub"]
    if not isinstance(subject, str) or not _DECIMAL.fullmatch(subject):
        raise TokenError("invalid subject")
    user_id = int(subject)
    if not _INT32_MIN <= user_id <= _INT32_MAX:
        raise TokenError("invalid subject")
    return user_id


def _optional_text(claims: dict[str, Any], name: str) -> str:
    value = claims.get(name, "")
    if not isinstance(value, str):
        raise TokenError(f"invalid claim {name}")
    return value


def _required_text(claims: dict[str, Any], name: str, reason: str) -> str:
    value = claims.get(name)
    if not isinstance(value, str) or not value:
        raise TokenError(reason)
    return value


def _timestamp(claims: dict[str, Any], name: str) -> datetime:
    value = claims.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TokenError(f"invalid claim {name}")
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        raise TokenError(f"invalid claim {name}") from None
