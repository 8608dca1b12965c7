"""UserSettingStore: one item per user and key (Memos store/test/user_setting_test.go)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from memos.store import Stores


def test_general_setting_is_read_back_by_user_id(stores: Stores) -> None:
    stores.user_settings.upsert(1, "GENERAL", {"locale": "zh"})
    setting = stores.user_settings.get(1, "GENERAL")
    assert setting is not None
    assert (setting.user_id, setting.key, setting.value) == (1, "GENERAL", {"locale": "zh"})


def test_user_without_settings_reads_none(stores: Stores) -> None:
    stores.user_settings.upsert(1, "GENERAL", {"locale": "zh"})
    assert stores.user_settings.get(2, "GENERAL") is None
    assert stores.user_settings.list_for_user(2) == []


def test_upsert_over_an_existing_value_leaves_one_item(stores: Stores) -> None:
    stores.user_settings.upsert(1, "GENERAL", {"locale": "zh"})
    stores.user_settings.upsert(1, "GENERAL", {"locale": "fr", "theme": "paper"})
    settings = stores.user_settings.list_for_user(1)
    assert [(s.key, s.value) for s in settings] == [("GENERAL", {"locale": "fr", "theme": "paper"})]


def test_three_setting_kinds_of_one_user_are_all_listed(stores: Stores) -> None:
    stores.user_settings.upsert(1, "GENERAL", {"locale": "ja"})
    stores.user_settings.upsert(1, "WEBHOOKS", {"webhooks": []})
    stores.user_settings.upsert(1, "SHORTCUTS", {"shortcuts": [{"id": "a", "title": "t"}]})
    assert [s.key for s in stores.user_settings.list_for_user(1)] == [
        "GENERAL",
        "SHORTCUTS",
        "WEBHOOKS",
    ]


def test_settings_of_other_kinds_in_the_partition_are_not_listed(stores: Stores) -> None:
    stores.user_settings.upsert(1, "GENERAL", {"locale": "en"})
    stores.webhooks.create(1, webhook_id="0123456789abcdef", title="t", url="https://x.test")
    assert len(stores.user_settings.list_for_user(1)) == 1


def test_nested_values_round_trip(stores: Stores) -> None:
    value = {"locale": "de", "memo_visibility": "PUBLIC", "nested": {"n": 3, "f": 1.5, "b": True}}
    stores.user_settings.upsert(7, "GENERAL", value)
    setting = stores.user_settings.get(7, "GENERAL")
    assert setting is not None
    assert setting.value == value


def test_delete_removes_one_key(stores: Stores) -> None:
    stores.user_settings.upsert(1, "GENERAL", {"locale": "en"})
    assert stores.user_settings.delete(1, "GENERAL") is True
    assert stores.user_settings.delete(1, "GENERAL") is False
    assert stores.user_settings.get(1, "GENERAL") is None


@pytest.mark.parametrize("key", ["", "general", "GEN#ERAL", "1GENERAL"])
def test_malformed_keys_are_refused(stores: Stores, key: str) -> None:
    with pytest.raises(ValueError, match="invalid setting key"):
        stores.user_settings.get(1, key)
