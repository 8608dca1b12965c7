"""Time as the store records it: whole epoch seconds (UTC), like Memos' Unix-second columns."""

from __future__ import annotations

import time
from collections.abc import Callable

Clock = Callable[[], int]

GRACE_SECONDS = 24 * 60 * 60  # TTL deletion runs this long after an item's own expiry


def epoch_seconds() -> int:
    return int(time.time())


def sequence_number() -> int:
    """A per-write ordering value (epoch nanoseconds) for lists kept in creation order."""
    return time.time_ns()
