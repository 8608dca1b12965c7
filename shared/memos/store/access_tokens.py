"""Personal access tokens: metadata per user plus a lookup item by token hash.

``USER#<id>`` / ``PAT#<token_id>`` holds the record; ``PATHASH#<sha256 hex>`` / ``PAT`` holds
``{user_id, token_id, expires_at}`` for authentication in one GetItem. Both are written and
deleted in one transaction. Tokens with an expiry carry the TTL attribute (expiry + one day),
so DynamoDB eventually removes them; until then they are still found (the authenticator checks
``expires_at``, as Memos does). The plain token is never stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from msgspec import Struct

from memos.errors import AlreadyExistsError
from memos.store import keys
from memos.store.clock import GRACE_SECONDS, epoch_seconds, sequence_number
from memos.store.schema import TTL_ATTRIBUTE
from memos.store.table import (
    ConditionFailedError,
    TransactionCancelledError,
    attribute_equals,
    item_exists,
    set_fields,
)

if TYPE_CHECKING:
    from memos.store.clock import Clock
    from memos.store.codec import Item
    from memos.store.table import DynamoTable

TOKEN_HASH_ATTRIBUTE = "token_hash"  # noqa: S105 - an attribute name, not a secret


class PersonalAccessToken(Struct, frozen=True):
    user_id: int
    token_id: str
    token_hash: str
    description: str
    created_at: int
    expires_at: int | None = None  # None: never expires
    last_used_at: int | None = None


class TokenHashMatch(Struct, frozen=True):
    """What authentication needs from a token hash: the owner, the token and its expiry."""

    user_id: int
    token_id: str
    expires_at: int | None


class AccessTokenStore:
    def __init__(self, table: DynamoTable, clock: Clock = epoch_seconds) -> None:
        self._table = table
        self._clock = clock

    def create(
        self,
        user_id: int,
        *,
        token_id: str,
        token_hash: str,
        description: str = "",
        expires_at: int | None = None,
    ) -> PersonalAccessToken:
        token = PersonalAccessToken(
            user_id=user_id,
            token_id=token_id,
            token_hash=token_hash,
            description=description,
            created_at=self._clock(),
            expires_at=expires_at,
        )
        self.create_imported(token)
        return token

    def create_imported(self, token: PersonalAccessToken) -> None:
        """Store a token whose every field is given (an import keeps its times); a taken token id
        or hash is ``AlreadyExistsError``."""
        expires_at = token.expires_at
        ttl = {TTL_ATTRIBUTE: expires_at + GRACE_SECONDS} if expires_at is not None else {}
        record = {
            **keys.pat_key(token.user_id, token.token_id).attributes(),
            "entity": "PAT",
            "user_id": token.user_id,
            "token_id": token.token_id,
            TOKEN_HASH_ATTRIBUTE: token.token_hash,
            "description": token.description,
            "created_at": token.created_at,
            "expires_at": expires_at,
            "last_used_at": token.last_used_at,
            "sequence": sequence_number(),
            **ttl,
        }
        lookup = {
            **keys.pat_hash_key(token.token_hash).attributes(),
            "entity": "PATHASH",
            "user_id": token.user_id,
            "token_id": token.token_id,
            "expires_at": expires_at,
            **ttl,
        }
        try:
            self._table.transact(
                [
                    self._table.put_new_op(record),
                    self._table.put_new_op(lookup),
                ]
            )
        except TransactionCancelledError as error:
            if error.failed(0) or error.failed(1):
                raise AlreadyExistsError("personal access token already exists") from error
            raise

    def get(self, user_id: int, token_id: str) -> PersonalAccessToken | None:
        item = self._table.get(keys.pat_key(user_id, token_id))
        return _token_from_item(item) if item else None

    def list_for_user(self, user_id: int) -> list[PersonalAccessToken]:
        """A user's tokens in creation order, expired ones included."""
        items = self._table.query_all(
            keys.user_partition(user_id), sort_prefix=keys.PAT_PREFIX, consistent=True
        )
        items.sort(key=lambda item: (int(item.get("sequence", 0)), str(item["token_id"])))
        return [_token_from_item(item) for item in items]

    def find_by_hash(self, token_hash: str) -> TokenHashMatch | None:
        """The token with this SHA-256 hex hash, in one GetItem; None when unknown."""
        item = self._table.get(keys.pat_hash_key(token_hash))
        if item is None:
            return None
        expires_at = item.get("expires_at")
        return TokenHashMatch(
            user_id=int(item["user_id"]),
            token_id=str(item["token_id"]),
            expires_at=int(expires_at) if expires_at is not None else None,
        )

    def touch_last_used(self, user_id: int, token_id: str, *, at: int | None = None) -> bool:
        """Record a use of the token; False when the token no longer exists."""
        try:
            self._table.update(
                keys.pat_key(user_id, token_id),
                set_fields({"last_used_at": self._clock() if at is None else at}),
                condition=item_exists(),
                return_values="NONE",
            )
        except ConditionFailedError:
            return False
        return True

    def delete(self, user_id: int, token_id: str) -> bool:
        """Delete the token and its hash lookup together; False when it did not exist."""
        current = self._table.get(keys.pat_key(user_id, token_id))
        if current is None:
            return False
        try:
            self._table.transact(
                [
                    self._table.delete_op(keys.pat_key(user_id, token_id), condition=item_exists()),
                    self._table.delete_op(
                        keys.pat_hash_key(str(current[TOKEN_HASH_ATTRIBUTE])),
                        condition=attribute_equals("token_id", token_id),
                    ),
                ]
            )
        except TransactionCancelledError as error:
            if error.failed(0):
                return False  # deleted meanwhile
            raise
        return True


def _token_from_item(item: Item) -> PersonalAccessToken:
    return PersonalAccessToken(
        user_id=int(item["user_id"]),
        token_id=str(item["token_id"]),
        token_hash=str(item[TOKEN_HASH_ATTRIBUTE]),
        description=str(item.get("description", "")),
        created_at=int(item["created_at"]),
        expires_at=_optional_int(item.get("expires_at")),
        last_used_at=_optional_int(item.get("last_used_at")),
    )


def _optional_int(value: Any) -> int | None:
    return int(value) if value is not None else None
