"""Refresh sessions: what the server keeps about a signed-in browser (never the token itself).

``USER#<id>`` / ``SESSION#<session_id>`` holds the id of the refresh token currently valid for
the session; rotation swaps it with a conditional update, so a replayed (already rotated) token
loses. The TTL attribute is the session's expiry: DynamoDB removes it some time after that, so
readers still compare ``expires_at`` with the clock.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from msgspec import Struct
from msgspec.structs import fields

from memos.errors import AlreadyExistsError
from memos.store import keys
from memos.store.clock import epoch_seconds, sequence_number
from memos.store.schema import TTL_ATTRIBUTE
from memos.store.table import (
    ConditionFailedError,
    attribute_equals,
    both,
    item_exists,
    set_fields,
)

if TYPE_CHECKING:
    from memos.store.clock import Clock
    from memos.store.codec import Item
    from memos.store.table import DynamoTable


class RefreshSession(Struct, frozen=True):
    user_id: int
    session_id: str
    current_token_id: str
    created_at: int
    rotated_at: int
    expires_at: int
    user_agent: str = ""
    ip_address: str = ""
    device_type: str = ""
    os: str = ""
    browser: str = ""
    # The token id this session held before its last rotation (for the concurrent-refresh grace).
    previous_token_id: str = ""


_FIELDS = tuple(item.name for item in fields(RefreshSession))


class SessionStore:
    def __init__(self, table: DynamoTable, clock: Clock = epoch_seconds) -> None:
        self._table = table
        self._clock = clock

    def create(self, session: RefreshSession) -> RefreshSession:
        item = {
            **keys.session_key(session.user_id, session.session_id).attributes(),
            "entity": "SESSION",
            **{name: getattr(session, name) for name in _FIELDS},
            "sequence": sequence_number(),
            TTL_ATTRIBUTE: session.expires_at,
        }
        try:
            self._table.put_new(item)
        except ConditionFailedError as error:
            raise AlreadyExistsError("session already exists") from error
        return session

    def get(self, user_id: int, session_id: str) -> RefreshSession | None:
        item = self._table.get(keys.session_key(user_id, session_id))
        return _session_from_item(item) if item else None

    def list_for_user(self, user_id: int) -> list[RefreshSession]:
        """A user's sessions in creation order (expired ones until TTL removes them)."""
        items = self._table.query_all(
            keys.user_partition(user_id), sort_prefix=keys.SESSION_PREFIX, consistent=True
        )
        items.sort(key=lambda item: (int(item.get("sequence", 0)), str(item["session_id"])))
        return [_session_from_item(item) for item in items]

    def rotate(
        self,
        user_id: int,
        session_id: str,
        *,
        expected_token_id: str,
        new_token_id: str,
        new_expires_at: int,
        rotated_at: int | None = None,
    ) -> bool:
        """Swap the session's token id if it still is ``expected_token_id``.

        False when the session is gone or another rotation already happened (replay).
        """
        try:
            self._table.update(
                keys.session_key(user_id, session_id),
                set_fields(
                    {
                        "current_token_id": new_token_id,
                        "previous_token_id": expected_token_id,
                        "expires_at": new_expires_at,
                        "rotated_at": self._clock() if rotated_at is None else rotated_at,
                        TTL_ATTRIBUTE: new_expires_at,
                    }
                ),
                condition=both(
                    item_exists(), attribute_equals("current_token_id", expected_token_id)
                ),
                return_values="NONE",
            )
        except ConditionFailedError:
            return False
        return True

    def delete(self, user_id: int, session_id: str) -> bool:
        """Revoke a session; False when there was none."""
        return self._table.delete(keys.session_key(user_id, session_id)) is not None

    def delete_all_but(self, user_id: int, keep_session_id: str | None = None) -> int:
        """Revoke every session of a user except ``keep_session_id`` (if given); how many ended.

        One Query of the user's ``SESSION#`` items, then batched deletes.
        """
        items = self._table.query_all(
            keys.user_partition(user_id), sort_prefix=keys.SESSION_PREFIX, consistent=True
        )
        doomed = [
            keys.session_key(user_id, str(item["session_id"]))
            for item in items
            if item["session_id"] != keep_session_id
        ]
        if doomed:
            self._table.batch_delete(doomed)
        return len(doomed)


def _session_from_item(item: Item) -> RefreshSession:
    return RefreshSession(**{name: item[name] for name in _FIELDS if name in item})
