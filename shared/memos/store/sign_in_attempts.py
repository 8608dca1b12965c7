"""Failed password sign-ins, counted in fixed windows (the throttle's memory).

One item per counted subject (``SIGNIN#<scope>#<subject>`` / ``ATTEMPTS``) holds the failures of
the current window, when the window started and when the last failure was. A failure is one
conditional ``UpdateItem`` (``ADD`` while the window is open); the first failure of a new window
replaces the item with a conditional ``PutItem``, so concurrent failures are all counted. The TTL
attribute is the window's end: DynamoDB removes finished windows some time later, so readers
compare the window with the clock as well. What the counts mean is the policy's business
(``functions.auth.sign_in_throttle``).
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Final

from msgspec import Struct

from memos.store import keys
from memos.store.schema import TTL_ATTRIBUTE
from memos.store.table import ConditionFailedError, Expression

if TYPE_CHECKING:
    from collections.abc import Sequence

    from memos.store.keys import ItemKey
    from memos.store.table import DynamoTable

# Subjects longer than this (in UTF-8 bytes) are keyed by their SHA-256 instead, so no input
# makes a key DynamoDB would refuse (partition keys: at most 2,048 bytes).
MAX_SUBJECT_BYTES: Final = 128
_ATTEMPTS: Final = 4


class FailureWindow(Struct, frozen=True):
    """The failures counted for one subject in its current window."""

    failures: int
    window_started_at: int
    last_failure_at: int

    def is_open(self, now: int, window_seconds: int) -> bool:
        return now < self.window_started_at + window_seconds


def bounded_subject(text: str) -> str:
    """``text`` as a key part: itself when short enough, else ``sha256:<hex digest>``."""
    encoded = text.encode("utf-8", "surrogatepass")
    if len(encoded) <= MAX_SUBJECT_BYTES:
        return text
    return "sha256:" + hashlib.sha256(encoded).hexdigest()


class SignInAttemptStore:
    def __init__(self, table: DynamoTable) -> None:
        self._table = table

    def read(self, item_keys: Sequence[ItemKey]) -> dict[ItemKey, FailureWindow]:
        """The stored windows of these keys (one BatchGetItem), finished ones included."""
        found = self._table.batch_get(list(item_keys))
        by_key = {keys.ItemKey(str(item["pk"]), str(item["sk"])): item for item in found}
        return {
            key: FailureWindow(
                failures=int(item["failures"]),
                window_started_at=int(item["window_started_at"]),
                last_failure_at=int(item["last_failure_at"]),
            )
            for key, item in by_key.items()
        }

    def record_failure(self, key: ItemKey, *, now: int, window_seconds: int) -> FailureWindow:
        """Count one failure in the key's open window, or start a new window with it."""
        cutoff = now - window_seconds
        for _ in range(_ATTEMPTS):
            try:
                item = self._table.update(
                    key,
                    Expression(
                        "ADD #failures :one SET #last = :now",
                        {"#failures": "failures", "#last": "last_failure_at"},
                        {":one": 1, ":now": now},
                    ),
                    condition=Expression(
                        "attribute_exists(#pk) AND #started > :cutoff",
                        {"#pk": "pk", "#started": "window_started_at"},
                        {":cutoff": cutoff},
                    ),
                )
                return FailureWindow(int(item["failures"]), int(item["window_started_at"]), now)
            except ConditionFailedError:
                pass
            try:
                self._table.put(
                    {
                        **key.attributes(),
                        "entity": "SIGN_IN_ATTEMPTS",
                        "failures": 1,
                        "window_started_at": now,
                        "last_failure_at": now,
                        TTL_ATTRIBUTE: now + window_seconds,
                    },
                    condition=Expression(
                        "attribute_not_exists(#pk) OR #started <= :cutoff",
                        {"#pk": "pk", "#started": "window_started_at"},
                        {":cutoff": cutoff},
                    ),
                )
                return FailureWindow(1, now, now)
            except ConditionFailedError:
                continue  # another failure just opened a new window: count into it
        raise RuntimeError("could not record a failed sign-in after retries")

    def clear(self, key: ItemKey) -> None:
        self._table.delete(key)
