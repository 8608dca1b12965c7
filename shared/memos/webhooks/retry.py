"""When a failed delivery is tried again, and when it gives up.

The queue's redrive policy moves a message to the dead-letter queue once it has been received
:data:`MAX_ATTEMPTS` times (``maxReceiveCount``); the sender hides a failed message for
:func:`backoff_seconds` of its attempt number (SQS ``ApproximateReceiveCount``). Attempts come
1, 2, 4, ... 64 minutes after the previous one: the eighth and last is about 2 h 7 min after
the first, so a receiver may be down for two hours without losing anything.
"""

from __future__ import annotations

from typing import Final

MAX_ATTEMPTS: Final = 8
FIRST_BACKOFF_SECONDS: Final = 60
# SQS's longest visibility timeout.
MAX_BACKOFF_SECONDS: Final = 12 * 60 * 60


def backoff_seconds(attempt: int) -> int:
    """How long to hide the message after failed attempt ``attempt`` (1-based); after the last
    attempt 0, so the queue moves it to the dead-letter queue at once."""
    if attempt >= MAX_ATTEMPTS:
        return 0
    return int(min(FIRST_BACKOFF_SECONDS * 2 ** (max(attempt, 1) - 1), MAX_BACKOFF_SECONDS))


def is_last_attempt(attempt: int) -> bool:
    return attempt >= MAX_ATTEMPTS


def schedule() -> list[int]:
    """Seconds after the first attempt at which each attempt is made."""
    times = [0]
    for attempt in range(1, MAX_ATTEMPTS):
        times.append(times[-1] + backoff_seconds(attempt))
    return times
