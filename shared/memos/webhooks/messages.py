"""A delivery as it travels on the queue: one memo event for one webhook.

The message holds the event and the memo document, never the URL or the secret: the sender
reads the webhook when it sends, so a webhook changed or deleted meanwhile is honoured, and
no secret sits in the queue. The delivery id comes from the stream record's ``eventID`` and
the webhook, so a replayed record makes the same id (the ledger then stops a second POST).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Final

from msgspec import Struct

VERSION: Final = 1


def delivery_id(record_id: str, user_id: int, webhook_id: str) -> str:
    """``msg_`` + 32 hex digits, the same for the same stream record and webhook."""
    digest = hashlib.sha256(f"{record_id}\n{user_id}\n{webhook_id}".encode()).hexdigest()
    return f"msg_{digest[:32]}"


class DeliveryMessage(Struct, frozen=True):
    delivery_id: str
    user_id: int
    webhook_id: str
    activity_type: str
    creator_id: int
    memo: dict[str, Any]

    def encode(self) -> str:
        return json.dumps(
            {
                "v": VERSION,
                "delivery_id": self.delivery_id,
                "user_id": self.user_id,
                "webhook_id": self.webhook_id,
                "activity_type": self.activity_type,
                "creator_id": self.creator_id,
                "memo": self.memo,
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def decode(cls, raw: str) -> DeliveryMessage:
        """Raises ``ValueError`` for anything that is not a message of this version."""
        data = json.loads(raw)
        if not isinstance(data, dict) or data.get("v") != VERSION:
            raise ValueError("not a webhook delivery message")
        memo = data.get("memo")
        if not isinstance(memo, dict):
            raise ValueError("the message has no memo")
        try:
            return cls(
                delivery_id=str(data["delivery_id"]),
                user_id=int(data["user_id"]),
                webhook_id=str(data["webhook_id"]),
                activity_type=str(data["activity_type"]),
                creator_id=int(data["creator_id"]),
                memo=memo,
            )
        except (KeyError, TypeError) as error:
            raise ValueError(f"incomplete webhook delivery message: {error}") from error
