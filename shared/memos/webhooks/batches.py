"""The two functions' batch logic, shared by the Lambda handlers and the local loop."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Final

from memos.webhooks.messages import DeliveryMessage
from memos.webhooks.retry import backoff_seconds
from memos.webhooks.sender import Outcome, SendResult

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from memos.webhooks.queue import DeliveryQueue
    from memos.webhooks.sender import Log, WebhookSender

# A message another attempt is sending right now is looked at again after this long.
BUSY_RETRY_SECONDS: Final = 60
MAX_PARALLEL_SENDS: Final = 10


def failures(identifiers: Sequence[str]) -> dict[str, list[dict[str, str]]]:
    """Lambda's partial batch response."""
    return {"batchItemFailures": [{"itemIdentifier": item} for item in identifiers]}


def send_records(
    records: Sequence[Mapping[str, Any]],
    sender: WebhookSender,
    queue: DeliveryQueue,
    log: Log,
    backoff: Callable[[int], int] = backoff_seconds,
) -> list[str]:
    """Attempt every SQS record's delivery in parallel; the message ids to report as failed,
    each already hidden for its ``backoff`` (by attempt number)."""
    if not records:
        return []
    with ThreadPoolExecutor(max_workers=min(MAX_PARALLEL_SENDS, len(records))) as pool:
        results = list(pool.map(lambda record: _attempt(record, sender, log), records))
    failed: list[str] = []
    for record, (attempt, result) in zip(records, results, strict=True):
        if result.outcome.finished:
            continue
        delay = BUSY_RETRY_SECONDS if result.outcome is Outcome.BUSY else backoff(attempt)
        try:
            queue.hide(str(record["receiptHandle"]), delay)
        except Exception:  # the queue's own visibility timeout applies instead
            log.warning("could not delay a failed webhook delivery", extra={"delay": delay})
        failed.append(str(record["messageId"]))
    return failed


def _attempt(record: Mapping[str, Any], sender: WebhookSender, log: Log) -> tuple[int, SendResult]:
    attempt = int((record.get("attributes") or {}).get("ApproximateReceiveCount", "1"))
    try:
        message = DeliveryMessage.decode(str(record["body"]))
    except ValueError as error:  # can never succeed: acknowledged, so it does not loop
        log.warning("dropping a malformed webhook message", extra={"reason": str(error)})
        return attempt, SendResult(Outcome.WEBHOOK_GONE)
    try:
        return attempt, sender.attempt(message, attempt)
    except Exception:  # the table failed: retried like a failed POST
        log.warning("webhook delivery attempt failed before sending", exc_info=True)
        return attempt, SendResult(Outcome.FAILED)
