"""The dispatcher and sender built from settings: what the Lambda handlers and the local loop
share (metrics go to Powertools in Lambda, nowhere locally)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from memos.domain.instance_settings import display_with_update_time
from memos.webhooks.dispatcher import Dispatcher
from memos.webhooks.ledger import DeliveryLedger
from memos.webhooks.sender import WebhookSender, webhook_policy

if TYPE_CHECKING:
    from memos.config import Settings
    from memos.store import Stores
    from memos.webhooks.queue import DeliveryQueue
    from memos.webhooks.sender import Log, Metrics


class NoMetrics:
    def count(self, name: str) -> None:
        """Nothing: the local loop only logs."""


class PowertoolsMetrics:
    """Counts as Powertools Metrics (flushed by the handler's ``log_metrics``)."""

    def __init__(self, metrics: Any) -> None:
        self._metrics = metrics

    def count(self, name: str) -> None:
        from aws_lambda_powertools.metrics import MetricUnit  # noqa: PLC0415

        self._metrics.add_metric(name=name, unit=MetricUnit.Count, value=1)


def build_dispatcher(stores: Stores, queue: DeliveryQueue, log: Log) -> Dispatcher:
    return Dispatcher(
        stores.webhooks,
        queue,
        lambda: display_with_update_time(stores.instance_settings),
        log,
    )


def build_sender(stores: Stores, settings: Settings, metrics: Metrics, log: Log) -> WebhookSender:
    return WebhookSender(
        stores.webhooks,
        DeliveryLedger(stores.table),
        webhook_policy(allow_loopback=settings.allow_loopback_webhooks),
        metrics,
        log,
        time.time,
    )
