"""WebhookStore: a user's webhooks in creation order."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from memos.errors import AlreadyExistsError, NotFoundError

if TYPE_CHECKING:
    from memos.store import Stores


def test_webhooks_are_listed_in_creation_order(stores: Stores) -> None:
    for webhook_id in ("ffff000000000000", "0000aaaa00000000", "9999999999999999"):
        stores.webhooks.create(1, webhook_id=webhook_id, title=webhook_id[:4], url="https://x.test")
    assert [w.webhook_id for w in stores.webhooks.list_for_user(1)] == [
        "ffff000000000000",
        "0000aaaa00000000",
        "9999999999999999",
    ]


def test_updating_a_webhook_replaces_title_and_url_and_keeps_its_place(stores: Stores) -> None:
    stores.webhooks.create(1, webhook_id="aaaa", title="first", url="https://a.test")
    stores.webhooks.create(1, webhook_id="bbbb", title="second", url="https://b.test")
    updated = stores.webhooks.update(1, "aaaa", title="renamed", url="https://c.test")
    assert (updated.title, updated.url) == ("renamed", "https://c.test")
    assert [(w.webhook_id, w.title) for w in stores.webhooks.list_for_user(1)] == [
        ("aaaa", "renamed"),
        ("bbbb", "second"),
    ]


def test_partial_update_keeps_the_other_field(stores: Stores) -> None:
    stores.webhooks.create(1, webhook_id="aaaa", title="first", url="https://a.test")
    updated = stores.webhooks.update(1, "aaaa", title="")
    assert (updated.title, updated.url) == ("", "https://a.test")


def test_updating_an_unknown_webhook_is_not_found(stores: Stores) -> None:
    with pytest.raises(NotFoundError, match="webhook not found"):
        stores.webhooks.update(1, "missing", title="x")
    assert stores.webhooks.get(1, "missing") is None


def test_delete_reports_whether_the_webhook_existed(stores: Stores) -> None:
    stores.webhooks.create(1, webhook_id="aaaa", title="t", url="https://a.test")
    assert stores.webhooks.delete(1, "aaaa") is True
    assert stores.webhooks.delete(1, "aaaa") is False
    assert stores.webhooks.list_for_user(1) == []


def test_a_webhook_id_is_created_once(stores: Stores) -> None:
    stores.webhooks.create(1, webhook_id="aaaa", title="t", url="https://a.test")
    with pytest.raises(AlreadyExistsError):
        stores.webhooks.create(1, webhook_id="aaaa", title="t", url="https://a.test")
