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
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

import jwt
from jwt.exceptions import InvalidSubjectError

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

_ERROR_REASONS: Final[tuple[tuple[type[jwt.InvalidTokenError], str], ...]] = (
    (jwt.ExpiredSignatureError, "token is expired"),
    (jwt.ImmatureSignatureError, "token is not valid yet"),
    (jwt.InvalidAudienceError, "invalid audience"),
    (jwt.InvalidIssuerError, "invalid issuer"),
    (InvalidSubjectError, "invalid subject"),
)
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


@dataclass(frozen=True, slots=True)
class AccessClaims:
    """What a valid access token says. Role, status and username are as of issue time."""

    user_id: int
    username: str
    role: str
    status: str
    issued_at: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class RefreshClaims:
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
    return jwt.encode(claims, secret, algorithm=ALGORITHM, headers={"kid": KEY_ID})


def _verify(
    token: str, secrets: Sequence[bytes], *, audience: str, token_type: str
) -> dict[str, Any]:
    if not secrets:
        raise ValueError("no secret to verify tokens with")
    try:
        header = jwt.get_unverified_header(token)
    except jwt.InvalidTokenError:
        raise TokenError("malformed token") from None
    if header.get("alg") != ALGORITHM:
        raise TokenError("unexpected signing method")
    if header.get("kid") != KEY_ID:
        raise TokenError("unexpected key id")
    for secret in secrets:
        try:
            claims = jwt.decode(
                token,
                secret,
                algorithms=[ALGORITHM],
                audience=audience,
                issuer=ISSUER,
                leeway=0,
                # iat is not checked against the clock (as in Memos), only required.
                options={"verify_iat": False, "require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.InvalidSignatureError:
            continue
        except jwt.InvalidTokenError as exc:
            raise TokenError(_reason(exc)) from None
        if claims.get("type") != token_type:
            raise TokenError("invalid token type")
        return claims
    raise TokenError("invalid signature")


def _reason(exc: jwt.InvalidTokenError) -> str:
    if isinstance(exc, jwt.MissingRequiredClaimError):
        return _MISSING_CLAIM_REASONS.get(exc.claim, f"missing claim {exc.claim}")
    return next(
        (reason for kind, reason in _ERROR_REASONS if isinstance(exc, kind)), "malformed token"
    )


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
