"""Which deliveries already reached their receiver: one marker item per delivery id.

Before a POST the sender *claims* the delivery: a conditional write that succeeds when no
marker exists, or when an earlier attempt's claim has run out (a sender that died mid-send).
After a success the marker says DELIVERED; after a failure it is removed so the next attempt
can claim it. A replayed stream record or a message SQS hands out twice finds DELIVERED (or a
live claim) and is not POSTed again. Markers expire by TTL after :data:`KEEP_SECONDS`, longer
than the stream's 24-hour retention plus the whole retry schedule.
"""

from __future__ import annotations

import contextlib
from enum import StrEnum
from typing import TYPE_CHECKING, Final

from memos.store import keys
from memos.store.schema import TTL_ATTRIBUTE
from memos.store.table import ConditionFailedError, Expression, attribute_equals

if TYPE_CHECKING:
    from memos.store.table import DynamoTable

KEEP_SECONDS: Final = 3 * 24 * 60 * 60
# Longer than one attempt can take (the sender's request deadline plus margin).
LEASE_SECONDS: Final = 60
_SENDING: Final = "SENDING"
_DELIVERED: Final = "DELIVERED"


class Claim(StrEnum):
    CLAIMED = "claimed"  # this attempt may send
    DELIVERED = "delivered"  # an earlier attempt succeeded: nothing to send
    BUSY = "busy"  # another attempt is sending right now: try again later


class DeliveryLedger:
    def __init__(self, table: DynamoTable) -> None:
        self._table = table

    def claim(self, delivery_id: str, now: int) -> Claim:
        update = Expression(
            "SET #entity = :entity, #state = :sending, #lease = :lease, #ttl = :ttl",
            {
                "#entity": "entity",
                "#state": "state",
                "#lease": "lease_until",
                "#ttl": TTL_ATTRIBUTE,
            },
            {
                ":entity": "WEBHOOK_DELIVERY",
                ":sending": _SENDING,
                ":lease": now + LEASE_SECONDS,
                ":ttl": now + KEEP_SECONDS,
            },
        )
        condition = Expression(
            "attribute_not_exists(#pk) OR (#state = :sending AND #lease < :now)",
            {"#pk": "pk"},
            {":now": now},
        )
        try:
            self._table.update(keys.webhook_delivery_key(delivery_id), update, condition=condition)
        except ConditionFailedError:
            stored = self._table.get(keys.webhook_delivery_key(delivery_id))
            if stored is not None and stored.get("state") == _DELIVERED:
                return Claim.DELIVERED
            return Claim.BUSY
        return Claim.CLAIMED

    def mark_delivered(self, delivery_id: str) -> None:
        self._table.update(
            keys.webhook_delivery_key(delivery_id),
            Expression("SET #state = :delivered", {"#state": "state"}, {":delivered": _DELIVERED}),
        )

    def release(self, delivery_id: str) -> None:
        """Let the next attempt claim it (only a claim still SENDING is removed)."""
        with contextlib.suppress(ConditionFailedError):
            self._table.delete(
                keys.webhook_delivery_key(delivery_id),
                condition=attribute_equals("state", _SENDING),
            )
