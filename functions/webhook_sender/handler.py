"""Lambda entry point of the webhook sender: SQS deliveries in, signed POSTs out; failures are
hidden for their backoff and reported as ``batchItemFailures`` (``memos.webhooks``)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Metrics

from memos.config import get_settings
from memos.observability import get_logger
from memos.store import stores_from_environment
from memos.store.clients import aws_client
from memos.webhooks.batches import failures, send_records
from memos.webhooks.queue import SqsQueue, queue_url_from_arn
from memos.webhooks.wiring import PowertoolsMetrics, build_sender

if TYPE_CHECKING:
    from memos.webhooks.sender import WebhookSender

metrics = Metrics(namespace="Memos", service="webhooks")


@cache
def _sender() -> WebhookSender:
    return build_sender(
        stores_from_environment(), get_settings(), PowertoolsMetrics(metrics), get_logger()
    )


@metrics.log_metrics
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    records = event.get("Records", [])
    if not records:
        return failures([])
    url = queue_url_from_arn(str(records[0]["eventSourceARN"]))
    queue = SqsQueue(aws_client("sqs", get_settings().aws_region), url)
    return failures(send_records(records, _sender(), queue, get_logger()))
