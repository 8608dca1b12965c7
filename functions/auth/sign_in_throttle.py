"""How many wrong passwords a sign-in may try, and from where (the brute-force throttle).

Failures are counted in fixed windows of :data:`WINDOW_SECONDS` under three subjects:

- the pair (username, client address): :data:`PAIR_LIMIT` failures close the pair until its
  window ends. Tight, and harmless to the real user, who signs in from another address;
- the username, across addresses: once it has :data:`USERNAME_LIMIT` failures in its window,
  each address that has itself failed on that username must wait :data:`USERNAME_PAUSE_SECONDS`
  between tries. It only slows: an address that has not failed on the username is never held up
  by it, so nobody can lock a user out from everywhere;
- the client address, across usernames: :data:`ADDRESS_LIMIT` failures close the address to
  password sign-in until its window ends (one source spraying many usernames).

A successful sign-in clears the pair's count. Only wrong passwords (and unknown usernames)
count. The address is the connection's source as the gateway saw it, not ``X-Forwarded-For``
(whose first entry the client writes). Usernames are counted by their NFKC case-folded form, so
case variants of one name share a count.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Final

from msgspec import Struct

from memos.errors import ResourceExhaustedError
from memos.store import keys
from memos.store.clock import epoch_seconds
from memos.store.sign_in_attempts import SignInAttemptStore, bounded_subject

if TYPE_CHECKING:
    from memos.store.clock import Clock
    from memos.store.keys import ItemKey
    from memos.store.sign_in_attempts import FailureWindow
    from memos.store.table import DynamoTable

WINDOW_SECONDS: Final = 15 * 60
PAIR_LIMIT: Final = 5
USERNAME_LIMIT: Final = 20
USERNAME_PAUSE_SECONDS: Final = 30
ADDRESS_LIMIT: Final = 50


class SignInThrottledError(ResourceExhaustedError):
    """Too many failed sign-ins; ``retry_after`` is how many seconds until the next try."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed sign-in attempts, try again in {retry_after} seconds")
        self.retry_after = retry_after


class Attempt(Struct, frozen=True):
    """One password sign-in being checked: its counters' keys and what they held."""

    pair: ItemKey
    username: ItemKey
    address: ItemKey
    pair_had_failures: bool


class SignInThrottle:
    def __init__(self, table: DynamoTable, clock: Clock = epoch_seconds) -> None:
        self._attempts = SignInAttemptStore(table)
        self._clock = clock

    def admit(self, username: str, address: str) -> Attempt:
        """The attempt, if this username may try a password from this address now; else
        :class:`SignInThrottledError`."""
        name = bounded_subject(_folded(username))
        where = bounded_subject(address or "unknown")
        attempt_keys = (
            keys.sign_in_attempts_key("PAIR", f"{where}#{name}"),
            keys.sign_in_attempts_key("USER", name),
            keys.sign_in_attempts_key("ADDR", where),
        )
        now = self._clock()
        found = self._attempts.read(attempt_keys)
        pair, user, source = (_open(found.get(key), now) for key in attempt_keys)
        waits = [
            _wait_for_window_end(pair, PAIR_LIMIT, now),
            _wait_for_window_end(source, ADDRESS_LIMIT, now),
            _pause_left(pair, user, now),
        ]
        longest = max(waits)
        if longest > 0:
            raise SignInThrottledError(longest)
        return Attempt(*attempt_keys, pair_had_failures=pair is not None)

    def failed(self, attempt: Attempt) -> None:
        now = self._clock()
        for key in (attempt.pair, attempt.username, attempt.address):
            self._attempts.record_failure(key, now=now, window_seconds=WINDOW_SECONDS)

    def succeeded(self, attempt: Attempt) -> None:
        if attempt.pair_had_failures:
            self._attempts.clear(attempt.pair)


def _folded(username: str) -> str:
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", username).casefold())


def _open(window: FailureWindow | None, now: int) -> FailureWindow | None:
    return window if window is not None and window.is_open(now, WINDOW_SECONDS) else None


def _wait_for_window_end(window: FailureWindow | None, limit: int, now: int) -> int:
    if window is None or window.failures < limit:
        return 0
    return window.window_started_at + WINDOW_SECONDS - now


def _pause_left(pair: FailureWindow | None, user: FailureWindow | None, now: int) -> int:
    if pair is None or user is None or user.failures < USERNAME_LIMIT:
        return 0
    return max(0, pair.last_failure_at + USERNAME_PAUSE_SECONDS - now)
