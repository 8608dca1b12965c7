"""Webhooks for ``make serve``: the dispatcher and sender of the cloud, driven in process.

A background thread reads the table's change stream (enabled here when missing; moto
emulates DynamoDB Streams), hands each batch to the same dispatcher as the Lambda, and drains
the delivery queue through the same sender: a local SQS queue with a dead-letter queue whose
redrive policy is the cloud's, unless ``MEMOS_WEBHOOK_QUEUE_URL`` names one. Deliveries to a
receiver on this machine need ``MEMOS_ALLOW_LOOPBACK_WEBHOOKS=true`` (never set in the cloud).
"""

from __future__ import annotations

import json
import sys
import threading
from typing import TYPE_CHECKING, Any, Final

from memos.store.clients import aws_client, dynamodb_client_for
from memos.webhooks.batches import send_records
from memos.webhooks.queue import SqsQueue
from memos.webhooks.retry import MAX_ATTEMPTS, backoff_seconds
from memos.webhooks.wiring import NoMetrics, build_dispatcher, build_sender

if TYPE_CHECKING:
    from collections.abc import Callable

    from memos.config import Settings
    from memos.store import Stores

QUEUE_NAME: Final = "memos-webhooks"
DEAD_LETTER_QUEUE_NAME: Final = "memos-webhooks-dlq"
POLL_SECONDS: Final = 0.5
_SHOWN_FIELDS: Final = ("activity_type", "webhook_host", "attempt", "status", "reason")


class ConsoleLog:
    """One short line per delivery event on stderr, for a developer watching the server."""

    def info(self, msg: str, *args: Any, **kwargs: Any) -> None:
        self._write("webhook", msg, kwargs.get("extra"))

    def warning(self, msg: str, *args: Any, **kwargs: Any) -> None:
        self._write("webhook warning", msg, kwargs.get("extra"))

    @staticmethod
    def _write(prefix: str, msg: str, extra: dict[str, Any] | None) -> None:
        fields = " ".join(f"{key}={extra[key]}" for key in _SHOWN_FIELDS if extra and key in extra)
        print(f"{prefix}: {msg} {fields}".rstrip(), file=sys.stderr, flush=True)


def enable_stream(client: Any, table_name: str) -> str:
    """The table's stream ARN, turning on a NEW_AND_OLD_IMAGES stream when it has none."""
    table = client.describe_table(TableName=table_name)["Table"]
    if table.get("StreamSpecification", {}).get("StreamEnabled"):
        return str(table["LatestStreamArn"])
    answer = client.update_table(
        TableName=table_name,
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    return str(answer["TableDescription"]["LatestStreamArn"])


def local_queues(sqs: Any) -> tuple[str, str]:
    """The delivery queue and its dead-letter queue (created when missing), as URLs."""
    dead_letters = sqs.create_queue(QueueName=DEAD_LETTER_QUEUE_NAME)["QueueUrl"]
    target = sqs.get_queue_attributes(QueueUrl=dead_letters, AttributeNames=["QueueArn"])
    redrive = {
        "deadLetterTargetArn": target["Attributes"]["QueueArn"],
        "maxReceiveCount": MAX_ATTEMPTS,
    }
    queue = sqs.create_queue(
        QueueName=QUEUE_NAME, Attributes={"RedrivePolicy": json.dumps(redrive)}
    )["QueueUrl"]
    return str(queue), str(dead_letters)


class LocalWebhookLoop:
    """Stream -> dispatcher -> queue -> sender, one :meth:`run_once` at a time (or a thread)."""

    def __init__(
        self,
        settings: Settings,
        stores: Stores,
        *,
        backoff: Callable[[int], int] = backoff_seconds,
        log: Any = None,
    ) -> None:
        region = settings.aws_region
        self.log = log or ConsoleLog()
        self._backoff = backoff
        self._stream_arn = enable_stream(dynamodb_client_for(settings), settings.table_name)
        # botocore would send stream calls to an account-based host moto doesn't serve.
        streams_endpoint = settings.dynamodb_endpoint or (
            f"https://streams.dynamodb.{region}.amazonaws.com"
        )
        self._streams = aws_client("dynamodbstreams", region, streams_endpoint)
        self.sqs = aws_client("sqs", region)
        if settings.webhook_queue_url:
            self.queue_url, self.dead_letter_url = settings.webhook_queue_url, ""
        else:
            self.queue_url, self.dead_letter_url = local_queues(self.sqs)
        self._queue = SqsQueue(self.sqs, self.queue_url)
        self._dispatcher = build_dispatcher(stores, self._queue, self.log)
        self._sender = build_sender(stores, settings, NoMetrics(), self.log)
        self._iterators: dict[str, str | None] = {}
        self._started = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._read_shards()  # from now on: writes before the loop existed are not announced
        self._started = True

    # One round --------------------------------------------------------------------------------

    def run_once(self) -> int:
        """Dispatch what the stream holds, then attempt what the queue shows; the number of
        delivery attempts made."""
        self.dispatch_stream()
        return self.drain_queue()

    def dispatch_stream(self) -> None:
        self._read_shards()
        for shard_id, iterator in list(self._iterators.items()):
            if iterator is None:
                continue
            answer = self._streams.get_records(ShardIterator=iterator)
            records = answer.get("Records", [])
            failed = self._dispatcher.dispatch(records) if records else []
            if failed:  # read again from the first record not fully queued
                self._iterators[shard_id] = self._iterator(
                    shard_id, "AT_SEQUENCE_NUMBER", failed[0]
                )
            else:
                self._iterators[shard_id] = answer.get("NextShardIterator")

    def drain_queue(self) -> int:
        answer = self.sqs.receive_message(
            QueueUrl=self.queue_url,
            MaxNumberOfMessages=10,
            AttributeNames=["ApproximateReceiveCount"],
        )
        messages = answer.get("Messages", [])
        records = [
            {
                "messageId": message["MessageId"],
                "receiptHandle": message["ReceiptHandle"],
                "body": message["Body"],
                "attributes": message.get("Attributes", {}),
            }
            for message in messages
        ]
        failed = set(send_records(records, self._sender, self._queue, self.log, self._backoff))
        for record in records:
            if record["messageId"] not in failed:  # as Lambda's event source mapping does
                self.sqs.delete_message(
                    QueueUrl=self.queue_url, ReceiptHandle=record["receiptHandle"]
                )
        return len(records)

    # The thread -------------------------------------------------------------------------------

    def start(self, poll_seconds: float = POLL_SECONDS) -> None:
        def loop() -> None:
            while not self._stop.wait(poll_seconds):
                try:
                    self.run_once()
                except Exception as error:  # keep serving; the next round tries again
                    self.log.warning(f"local webhook loop failed: {error}")

        self._thread = threading.Thread(target=loop, name="memos-webhooks", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    # Shards -----------------------------------------------------------------------------------

    def _read_shards(self) -> None:
        description = self._streams.describe_stream(StreamArn=self._stream_arn)["StreamDescription"]
        for shard in description.get("Shards", []):
            shard_id = str(shard["ShardId"])
            if shard_id not in self._iterators:
                # Shards found at start begin at their end; shards born later, at their start.
                position = "TRIM_HORIZON" if self._started else "LATEST"
                self._iterators[shard_id] = self._iterator(shard_id, position)

    def _iterator(self, shard_id: str, position: str, sequence: str | None = None) -> str:
        arguments: dict[str, Any] = {
            "StreamArn": self._stream_arn,
            "ShardId": shard_id,
            "ShardIteratorType": position,
        }
        if sequence is not None:
            arguments["SequenceNumber"] = sequence
        return str(self._streams.get_shard_iterator(**arguments)["ShardIterator"])


def start_local_webhooks(settings: Settings, stores: Stores) -> LocalWebhookLoop | None:
    """Start the loop for the local server (which must already have its table). With a real
    DynamoDB endpoint it runs only when ``MEMOS_WEBHOOK_QUEUE_URL`` names a queue, so the local
    server never creates queues in an AWS account by itself."""
    if settings.dynamodb_endpoint and not settings.webhook_queue_url:
        print("  webhooks: off (set MEMOS_WEBHOOK_QUEUE_URL to deliver them)", flush=True)
        return None
    try:
        loop = LocalWebhookLoop(settings, stores)
    except Exception as error:  # e.g. an endpoint without streams: serve the API anyway
        print(f"  webhooks: off ({error})", flush=True)
        return None
    loop.start()
    where = "to loopback too" if settings.allow_loopback_webhooks else "not to loopback"
    print(f"  webhooks: delivered from the local change stream ({where})", flush=True)
    return loop
