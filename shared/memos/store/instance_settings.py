"""Instance settings: ``INSTANCE`` / ``SETTING#<KEY>`` (GENERAL, MEMO_RELATED, STORAGE, BASIC).

Values are stored as given; read-time defaults are the domain's business. Reads are strongly
consistent, so a change is visible to every Lambda on its next request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from msgspec import Struct

from memos.store import keys
from memos.store.clock import epoch_seconds
from memos.store.user_settings import SETTING_KEY

if TYPE_CHECKING:
    from collections.abc import Mapping

    from memos.store.clock import Clock
    from memos.store.codec import Item
    from memos.store.table import DynamoTable


class InstanceSetting(Struct, frozen=True):
    key: str
    value: Mapping[str, Any]
    updated_at: int


class InstanceSettingStore:
    def __init__(self, table: DynamoTable, clock: Clock = epoch_seconds) -> None:
        self._table = table
        self._clock = clock

    def get(self, key: str) -> InstanceSetting | None:
        """The stored setting, or None when it was never saved."""
        item = self._table.get(keys.instance_setting_key(_checked(key)))
        return _setting_from_item(item) if item else None

    def upsert(self, key: str, value: Mapping[str, Any]) -> InstanceSetting:
        setting = InstanceSetting(_checked(key), dict(value), self._clock())
        self._table.put(
            {
                **keys.instance_setting_key(key).attributes(),
                "entity": "INSTANCE_SETTING",
                "key": key,
                "value": dict(value),
                "updated_at": setting.updated_at,
            }
        )
        return setting

    def list_all(self) -> list[InstanceSetting]:
        items = self._table.query_all(
            keys.INSTANCE_PARTITION, sort_prefix=keys.INSTANCE_SETTING_PREFIX, consistent=True
        )
        return [_setting_from_item(item) for item in items]


def _checked(key: str) -> str:
    if not SETTING_KEY.match(key):
        raise ValueError(f"invalid instance setting key: {key!r}")
    return key


def _setting_from_item(item: Item) -> InstanceSetting:
    return InstanceSetting(
        key=str(item["key"]), value=dict(item.get("value", {})), updated_at=int(item["updated_at"])
    )
