"""Lambda entry point of the blob sweeper, run daily by a schedule: one bounded sweep of the
attachment bucket for objects no record refers to (:mod:`functions.blob_sweeper.sweep`); the
counts are logged and returned, never the keys."""

from __future__ import annotations

from typing import Any

from functions.blob_sweeper.cursor import SweepCursor
from functions.blob_sweeper.sweep import SweepOptions, sweep_blobs
from memos.observability import get_logger
from memos.store import stores_from_environment
from memos.store.clock import epoch_seconds


def handler(event: dict[str, Any], context: Any) -> dict[str, int | bool]:
    stores = stores_from_environment()
    report = sweep_blobs(
        stores.blobs,
        stores.attachments,
        SweepCursor(stores.table),
        SweepOptions(now=epoch_seconds()),
    )
    counts = report.counts()
    get_logger().info("blob sweep", extra=counts)
    return counts
