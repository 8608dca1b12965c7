"""Shortcuts (saved memo filters): ``USER#<id>`` / ``SHORTCUT#<sid>``, listed in creation order.

Memos keeps a user's shortcuts as one ordered list in a user setting; here each is its own item
with a ``sequence`` written once at creation, so a list is one Query sorted by it and an update
keeps the shortcut's position.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, Final

from msgspec import Struct

from memos.errors import AlreadyExistsError, NotFoundError
from memos.store import keys
from memos.store.clock import sequence_number
from memos.store.table import ConditionFailedError, item_exists, set_fields

if TYPE_CHECKING:
    from memos.store.codec import Item
    from memos.store.table import DynamoTable

SHORTCUT_NOT_FOUND: Final = "shortcut not found"


class Shortcut(Struct, frozen=True):
    user_id: int
    shortcut_id: str
    title: str
    filter: str


def new_shortcut_id() -> str:
    """A random UUID v4 in its lower-case 36-character form, as Memos makes them."""
    return str(uuid.uuid4())


class ShortcutStore:
    def __init__(self, table: DynamoTable) -> None:
        self._table = table

    def list_for_user(self, user_id: int) -> list[Shortcut]:
        """A user's shortcuts in creation order (updates keep their position)."""
        items = self._table.query_all(
            keys.user_partition(user_id), sort_prefix=keys.SHORTCUT_PREFIX, consistent=True
        )
        items.sort(key=lambda item: (int(item.get("sequence", 0)), str(item["shortcut_id"])))
        return [_shortcut_from_item(item) for item in items]

    def get(self, user_id: int, shortcut_id: str) -> Shortcut | None:
        item = self._table.get(keys.shortcut_key(user_id, shortcut_id))
        return _shortcut_from_item(item) if item else None

    def create(self, shortcut: Shortcut) -> Shortcut:
        """Store a new shortcut at the end of its user's list."""
        item = {
            **keys.shortcut_key(shortcut.user_id, shortcut.shortcut_id).attributes(),
            "entity": "SHORTCUT",
            "user_id": shortcut.user_id,
            "shortcut_id": shortcut.shortcut_id,
            "title": shortcut.title,
            "filter": shortcut.filter,
            "sequence": sequence_number(),
        }
        try:
            self._table.put_new(item)
        except ConditionFailedError as error:
            raise AlreadyExistsError("shortcut already exists") from error
        return shortcut

    def update(
        self, user_id: int, shortcut_id: str, *, title: str | None = None, filter: str | None = None
    ) -> Shortcut:
        """Change the title and/or filter; ``NotFoundError("shortcut not found")`` when unknown.
        With nothing to change, the stored shortcut is returned as it is."""
        changes: dict[str, Any] = {}
        if title is not None:
            changes["title"] = title
        if filter is not None:
            changes["filter"] = filter
        if not changes:
            unchanged = self.get(user_id, shortcut_id)
            if unchanged is None:
                raise NotFoundError(SHORTCUT_NOT_FOUND)
            return unchanged
        try:
            item = self._table.update(
                keys.shortcut_key(user_id, shortcut_id),
                set_fields(changes),
                condition=item_exists(),
            )
        except ConditionFailedError as error:
            raise NotFoundError(SHORTCUT_NOT_FOUND) from error
        return _shortcut_from_item(item)

    def delete(self, user_id: int, shortcut_id: str) -> None:
        """Remove a shortcut; ``NotFoundError("shortcut not found")`` when there was none."""
        try:
            self._table.delete(keys.shortcut_key(user_id, shortcut_id), condition=item_exists())
        except ConditionFailedError as error:
            raise NotFoundError(SHORTCUT_NOT_FOUND) from error


def _shortcut_from_item(item: Item) -> Shortcut:
    return Shortcut(
        user_id=int(item["user_id"]),
        shortcut_id=str(item["shortcut_id"]),
        title=str(item.get("title", "")),
        filter=str(item.get("filter", "")),
    )
