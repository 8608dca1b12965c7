"""User settings: ``USER#<id>`` / ``SETTING#<KEY>``, one item per key holding a plain value."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from msgspec import Struct

from memos.store import keys
from memos.store.clock import epoch_seconds

if TYPE_CHECKING:
    from collections.abc import Mapping

    from memos.store.clock import Clock
    from memos.store.codec import Item
    from memos.store.table import DynamoTable

SETTING_KEY = re.compile(r"^[A-Z][A-Z0-9_]*$")


class UserSetting(Struct, frozen=True):
    """One stored setting; ``value`` is JSON-like (strings, numbers, bools, lists, maps)."""

    user_id: int
    key: str
    value: Mapping[str, Any]
    updated_at: int


class UserSettingStore:
    def __init__(self, table: DynamoTable, clock: Clock = epoch_seconds) -> None:
        self._table = table
        self._clock = clock

    def get(self, user_id: int, key: str) -> UserSetting | None:
        item = self._table.get(keys.user_setting_key(user_id, _checked(key)))
        return _setting_from_item(item) if item else None

    def upsert(self, user_id: int, key: str, value: Mapping[str, Any]) -> UserSetting:
        """Replace the whole value of one key (one item per user and key)."""
        setting = UserSetting(user_id, _checked(key), dict(value), self._clock())
        self._table.put(
            {
                **keys.user_setting_key(user_id, key).attributes(),
                "entity": "USER_SETTING",
                "user_id": user_id,
                "key": key,
                "value": dict(value),
                "updated_at": setting.updated_at,
            }
        )
        return setting

    def list_for_user(self, user_id: int) -> list[UserSetting]:
        """Every stored setting of a user, ordered by key."""
        items = self._table.query_all(
            keys.user_partition(user_id), sort_prefix=keys.USER_SETTING_PREFIX, consistent=True
        )
        return [_setting_from_item(item) for item in items]

    def delete(self, user_id: int, key: str) -> bool:
        return self._table.delete(keys.user_setting_key(user_id, _checked(key))) is not None


def _checked(key: str) -> str:
    if not SETTING_KEY.match(key):
        raise ValueError(f"invalid setting key: {key!r}")
    return key


def _setting_from_item(item: Item) -> UserSetting:
    return UserSetting(
        user_id=int(item["user_id"]),
        key=str(item["key"]),
        value=dict(item.get("value", {})),
        updated_at=int(item["updated_at"]),
    )
