"""Who is calling: the identity a credential resolves to, and the verifier seam."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Protocol

from msgspec import Struct

from memos.records import repr_without

if TYPE_CHECKING:
    from memos.store.users import User

CredentialKind = Literal["access_token", "personal_access_token", "authorizer"]


class Identity(Struct, frozen=True):
    """An authenticated caller."""

    user_id: int
    username: str
    role: str
    credential: CredentialKind
    # The user row the verifier read to accept the credential, when it read one: the request's
    # caller record, so nothing reads it again (``memos.caller.current_user``). It is not part of
    # who the caller is (equality and hashing leave it out), and its password hash stays out of
    # logs (so does the representation).
    user: User | None = None

    def _who(self) -> tuple[int, str, str, str]:
        return (self.user_id, self.username, self.role, self.credential)

    def __eq__(self, other: object) -> bool:
        return self._who() == other._who() if isinstance(other, Identity) else NotImplemented

    def __hash__(self) -> int:
        return hash(self._who())

    def __repr__(self) -> str:
        return repr_without(self, "user")


class TokenVerifier(Protocol):
    """Turns the bearer token of a request into an identity, or ``None`` when it is not valid.

    Implementations must not raise for bad tokens: an invalid token on a public method makes the
    caller anonymous, and on a protected method the interceptor answers UNAUTHENTICATED.
    """

    def verify(self, token: str) -> Identity | None: ...


class NoTokensVerifier:
    """Accepts no token at all; used until a real verifier is configured."""

    def verify(self, token: str) -> Identity | None:
        return None


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, or ``None``."""
    if not authorization:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    token = token.strip()
    return token or None
