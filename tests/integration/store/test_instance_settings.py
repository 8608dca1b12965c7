"""InstanceSettingStore (Memos store/test/instance_setting_test.go, raw store side)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from memos.store.users import NewUser

if TYPE_CHECKING:
    from memos.store import Stores


def test_upserted_setting_reads_back_identical(stores: Stores) -> None:
    value = {"disallowUserRegistration": True, "customProfile": {"title": "My memos"}}
    stores.instance_settings.upsert("GENERAL", value)
    setting = stores.instance_settings.get("GENERAL")
    assert setting is not None
    assert setting.value == value


def test_never_stored_setting_reads_none(stores: Stores) -> None:
    assert stores.instance_settings.get("STORAGE") is None


def test_second_upsert_replaces_the_first(stores: Stores) -> None:
    stores.instance_settings.upsert("GENERAL", {"additionalScript": "v1"})
    stores.instance_settings.upsert("GENERAL", {"additionalScript": "v2"})
    settings = stores.instance_settings.list_all()
    assert [(s.key, s.value) for s in settings] == [("GENERAL", {"additionalScript": "v2"})]


def test_two_kinds_make_two_items(stores: Stores) -> None:
    stores.instance_settings.upsert("GENERAL", {"additionalStyle": "x"})
    stores.instance_settings.upsert("STORAGE", {"storageType": "S3", "uploadSizeLimitMb": 100})
    assert [s.key for s in stores.instance_settings.list_all()] == ["GENERAL", "STORAGE"]


def test_html_quotes_cjk_and_emoji_round_trip(stores: Stores) -> None:
    value = {
        "additionalScript": '<script>alert("hi")</script>',
        "additionalStyle": "body::before { content: '日本語' }",
        "reactions": ["🐱", "🐶", "🦊", "🦄"],
        "contentLengthLimit": 1000,
    }
    stores.instance_settings.upsert("MEMO_RELATED", value)
    setting = stores.instance_settings.get("MEMO_RELATED")
    assert setting is not None
    assert setting.value == value


def test_instance_settings_and_user_counter_share_a_partition_without_mixing(
    stores: Stores,
) -> None:
    stores.users.create(NewUser(username="someone"))
    stores.instance_settings.upsert("GENERAL", {})
    assert [s.key for s in stores.instance_settings.list_all()] == ["GENERAL"]
