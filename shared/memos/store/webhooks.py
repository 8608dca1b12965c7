"""User webhooks: ``USER#<id>`` / ``WEBHOOK#<webhook_id>``, listed in creation order."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from msgspec import Struct

from memos.errors import AlreadyExistsError, NotFoundError
from memos.records import repr_without
from memos.store import keys
from memos.store.clock import epoch_seconds, sequence_number
from memos.store.table import ConditionFailedError, item_exists, set_fields

if TYPE_CHECKING:
    from memos.store.clock import Clock
    from memos.store.codec import Item
    from memos.store.table import DynamoTable


class Webhook(Struct, frozen=True):
    user_id: int
    webhook_id: str
    title: str
    url: str
    created_at: int
    updated_at: int
    # Standard Webhooks secret (``whsec_...``); empty for webhooks stored before signing existed.
    signing_secret: str = ""

    def __repr__(self) -> str:
        return repr_without(self, "signing_secret")


class WebhookStore:
    def __init__(self, table: DynamoTable, clock: Clock = epoch_seconds) -> None:
        self._table = table
        self._clock = clock

    def create(
        self, user_id: int, *, webhook_id: str, title: str, url: str, signing_secret: str = ""
    ) -> Webhook:
        now = self._clock()
        webhook = Webhook(user_id, webhook_id, title, url, now, now, signing_secret)
        item = {
            **keys.webhook_key(user_id, webhook_id).attributes(),
            "entity": "WEBHOOK",
            "user_id": user_id,
            "webhook_id": webhook_id,
            "title": title,
            "url": url,
            "created_at": now,
            "updated_at": now,
            "sequence": sequence_number(),
        }
        if signing_secret:
            item["signing_secret"] = signing_secret
        try:
            self._table.put_new(item)
        except ConditionFailedError as error:
            raise AlreadyExistsError("webhook already exists") from error
        return webhook

    def get(self, user_id: int, webhook_id: str) -> Webhook | None:
        item = self._table.get(keys.webhook_key(user_id, webhook_id))
        return _webhook_from_item(item) if item else None

    def list_for_user(self, user_id: int) -> list[Webhook]:
        """A user's webhooks in creation order (updates keep their position)."""
        items = self._table.query_all(
            keys.user_partition(user_id), sort_prefix=keys.WEBHOOK_PREFIX, consistent=True
        )
        items.sort(key=lambda item: (int(item.get("sequence", 0)), str(item["webhook_id"])))
        return [_webhook_from_item(item) for item in items]

    def update(
        self,
        user_id: int,
        webhook_id: str,
        *,
        title: str | None = None,
        url: str | None = None,
        signing_secret: str | None = None,
    ) -> Webhook:
        """Change title, URL and/or signing secret; ``NotFoundError("webhook not found")`` when
        unknown."""
        changes: dict[str, Any] = {"updated_at": self._clock()}
        if title is not None:
            changes["title"] = title
        if url is not None:
            changes["url"] = url
        if signing_secret is not None:
            changes["signing_secret"] = signing_secret
        try:
            item = self._table.update(
                keys.webhook_key(user_id, webhook_id), set_fields(changes), condition=item_exists()
            )
        except ConditionFailedError as error:
            raise NotFoundError("webhook not found") from error
        return _webhook_from_item(item)

    def delete(self, user_id: int, webhook_id: str) -> bool:
        """False when there was no such webhook."""
        return self._table.delete(keys.webhook_key(user_id, webhook_id)) is not None


def _webhook_from_item(item: Item) -> Webhook:
    return Webhook(
        user_id=int(item["user_id"]),
        webhook_id=str(item["webhook_id"]),
        title=str(item.get("title", "")),
        url=str(item.get("url", "")),
        created_at=int(item["created_at"]),
        updated_at=int(item["updated_at"]),
        signing_secret=str(item.get("signing_secret", "")),
    )
