"""Deliveries attempted, succeeded, failed and dead-lettered are counted; the host is logged."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from memos.webhooks.ledger import DeliveryLedger
from memos.webhooks.messages import DeliveryMessage
from memos.webhooks.retry import MAX_ATTEMPTS
from memos.webhooks.sender import (
    ATTEMPTED,
    DEAD_LETTERED,
    FAILED,
    SUCCEEDED,
    WebhookSender,
    webhook_policy,
)
from tests.integration.webhooks.conftest import RecordingLog

if TYPE_CHECKING:
    from memos.store import Stores
    from tests.integration.webhooks.conftest import Receiver


class CountingMetrics:
    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def count(self, name: str) -> None:
        self.counts[name] = self.counts.get(name, 0) + 1


def test_each_outcome_is_counted_and_the_last_failure_as_dead_lettered(
    memory_stores: Stores, receiver: Receiver
) -> None:
    # Given a receiver that fails, a sender counting into a recorder, and two deliveries
    receiver.default = (500, b"")
    memory_stores.webhooks.create(1, webhook_id="w", title="", url=receiver.url)
    metrics, log = CountingMetrics(), RecordingLog()
    sender = WebhookSender(
        memory_stores.webhooks,
        DeliveryLedger(memory_stores.table),
        webhook_policy(allow_loopback=True),
        metrics,
        log,
        time.time,
    )
    first = DeliveryMessage("msg_a", 1, "w", "memos.memo.created", 1, {"name": "memos/a"})
    second = DeliveryMessage("msg_b", 1, "w", "memos.memo.updated", 1, {"name": "memos/a"})

    # When the first fails on an early attempt and on the last, then the second succeeds
    sender.attempt(first, attempt=1)
    sender.attempt(first, attempt=MAX_ATTEMPTS)
    receiver.default = (200, b"{}")
    sender.attempt(second, attempt=1)

    # Then every attempt, failure, success and the give-up are counted
    assert metrics.counts == {ATTEMPTED: 3, FAILED: 2, DEAD_LETTERED: 1, SUCCEEDED: 1}
    # And log lines carry the host, never the full URL
    hosts = {extra["webhook_host"] for _, _, extra in log.lines}
    assert hosts == {"127.0.0.1"}
    assert all(receiver.url not in str(extra) for _, _, extra in log.lines)
