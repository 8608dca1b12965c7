"""Lambda entry point of the webhook dispatcher: the table's stream (memo items only, by the
event source's filter) in, one SQS message per event and webhook out (``memos.webhooks``)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from memos.config import get_settings
from memos.observability import get_logger
from memos.store import stores_from_environment
from memos.store.clients import aws_client
from memos.webhooks.batches import failures
from memos.webhooks.queue import SqsQueue
from memos.webhooks.wiring import build_dispatcher

if TYPE_CHECKING:
    from memos.webhooks.dispatcher import Dispatcher


@cache
def _dispatcher() -> Dispatcher:
    settings = get_settings()
    if not settings.webhook_queue_url:
        raise RuntimeError("MEMOS_WEBHOOK_QUEUE_URL is not set")
    queue = SqsQueue(aws_client("sqs", settings.aws_region), settings.webhook_queue_url)
    return build_dispatcher(stores_from_environment(), queue, get_logger())


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return failures(_dispatcher().dispatch(event.get("Records", [])))
