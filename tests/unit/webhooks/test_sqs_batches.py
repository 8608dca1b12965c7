"""The sender's batch: which messages are reported failed, and for how long they hide."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from memos.webhooks.batches import BUSY_RETRY_SECONDS, failures, send_records
from memos.webhooks.messages import DeliveryMessage
from memos.webhooks.retry import backoff_seconds
from memos.webhooks.sender import Outcome, SendResult

if TYPE_CHECKING:
    from memos.webhooks.sender import WebhookSender


class ScriptedSender:
    """Answers each delivery id with a scripted outcome."""

    def __init__(self, outcomes: dict[str, Outcome]) -> None:
        self.outcomes = outcomes
        self.attempts: list[tuple[str, int]] = []

    def attempt(self, message: DeliveryMessage, attempt: int) -> SendResult:
        self.attempts.append((message.delivery_id, attempt))
        return SendResult(self.outcomes[message.delivery_id])


class RecordingQueue:
    def __init__(self) -> None:
        self.hidden: dict[str, int] = {}

    def send(self, entries: Any) -> set[str]:
        raise AssertionError("the sender never sends")

    def hide(self, receipt_handle: str, seconds: int) -> None:
        self.hidden[receipt_handle] = seconds


class QuietLog:
    def info(self, msg: str, *args: Any, **kwargs: Any) -> None:
        """Nothing."""

    def warning(self, msg: str, *args: Any, **kwargs: Any) -> None:
        """Nothing."""


def sqs_record(delivery: str, receive_count: int, body: str | None = None) -> dict[str, Any]:
    message = DeliveryMessage(delivery, 1, "w", "memos.memo.created", 1, {"name": "memos/a"})
    return {
        "messageId": f"id-{delivery}",
        "receiptHandle": f"rh-{delivery}",
        "body": message.encode() if body is None else body,
        "attributes": {"ApproximateReceiveCount": str(receive_count)},
    }


def test_failed_and_busy_deliveries_are_reported_and_hidden_for_their_backoff() -> None:
    # Given a batch: delivered, failed on attempt 3, busy elsewhere, webhook gone, malformed
    sender = ScriptedSender(
        {
            "ok": Outcome.DELIVERED,
            "bad": Outcome.FAILED,
            "busy": Outcome.BUSY,
            "gone": Outcome.WEBHOOK_GONE,
        }
    )
    queue = RecordingQueue()
    records = [
        sqs_record("ok", 1),
        sqs_record("bad", 3),
        sqs_record("busy", 1),
        sqs_record("gone", 2),
        sqs_record("junk", 1, body="{}"),
    ]

    # When the batch is sent
    failed = send_records(records, cast("WebhookSender", sender), queue, QuietLog())

    # Then only the failed and busy ones come back, hidden for their backoff
    assert sorted(failed) == ["id-bad", "id-busy"]
    assert queue.hidden == {"rh-bad": backoff_seconds(3), "rh-busy": BUSY_RETRY_SECONDS}
    assert ("bad", 3) in sender.attempts
    assert failures(failed) == {"batchItemFailures": [{"itemIdentifier": item} for item in failed]}
