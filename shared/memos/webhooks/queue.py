"""The delivery queue as the dispatcher and sender see it (SQS in the cloud, moto locally)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, Protocol

if TYPE_CHECKING:
    from collections.abc import Sequence

# SQS's limits: 10 entries per SendMessageBatch and 1 MiB per message and per batch.
BATCH_ENTRIES: Final = 10
MAX_MESSAGE_BYTES: Final = 1024 * 1024


class DeliveryQueue(Protocol):
    def send(self, entries: Sequence[tuple[str, str]]) -> set[str]:
        """Send ``(entry id, body)`` pairs (at most 10, 1 MiB in all); the ids that failed."""
        ...

    def hide(self, receipt_handle: str, seconds: int) -> None:
        """Make a received message visible again only after ``seconds``."""
        ...


class SqsQueue:
    def __init__(self, client: Any, url: str) -> None:
        self._client = client
        self._url = url

    def send(self, entries: Sequence[tuple[str, str]]) -> set[str]:
        response = self._client.send_message_batch(
            QueueUrl=self._url,
            Entries=[{"Id": entry_id, "MessageBody": body} for entry_id, body in entries],
        )
        return {str(failure["Id"]) for failure in response.get("Failed", [])}

    def hide(self, receipt_handle: str, seconds: int) -> None:
        self._client.change_message_visibility(
            QueueUrl=self._url, ReceiptHandle=receipt_handle, VisibilityTimeout=seconds
        )


def queue_url_from_arn(arn: str) -> str:
    """``arn:aws:sqs:<region>:<account>:<name>`` as the queue's URL (the SQS event names only
    the ARN)."""
    parts = arn.split(":")
    if len(parts) != 6 or parts[2] != "sqs":
        raise ValueError(f"not an SQS queue ARN: {arn}")
    region, account, name = parts[3], parts[4], parts[5]
    return f"https://sqs.{region}.amazonaws.com/{account}/{name}"


def chunks(entries: Sequence[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """``entries`` in SendMessageBatch-sized groups (count and bytes)."""
    groups: list[list[tuple[str, str]]] = []
    size = 0
    for entry in entries:
        entry_size = len(entry[1].encode())
        if not groups or len(groups[-1]) == BATCH_ENTRIES or size + entry_size > MAX_MESSAGE_BYTES:
            groups.append([])
            size = 0
        groups[-1].append(entry)
        size += entry_size
    return groups
