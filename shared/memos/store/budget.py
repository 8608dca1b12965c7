"""The time one request may spend on AWS calls, and what it was calling last.

A request opens a :class:`RequestBudget` (the recovery interceptor does, around every call). The
AWS clients made in :mod:`memos.store.clients` check it before every attempt they send, retries
included: once the budget is spent no new attempt starts and the call fails at once with
:class:`BudgetExceededError`, so a request that meets a slow or failing dependency ends within a
known bound instead of running into the Lambda timeout. The same hook notes which dependency and
operation the request was calling, for the log line of a fault.

Importing this module is cheap and never imports boto3.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

# Seconds a request may keep starting AWS attempts; see docs/decisions.md for the worst case.
DEFAULT_REQUEST_BUDGET_SECONDS: Final = 5.0
_HOOK_ID: Final = "memos-request-budget"  # one per event: botocore keeps one handler per id


class BudgetExceededError(Exception):
    """The request's time for AWS calls ran out before an attempt could start."""

    def __init__(self, dependency: str, operation: str) -> None:
        super().__init__(f"request time budget spent before {dependency} {operation}")
        self.dependency = dependency
        self.operation = operation


class RequestBudget:
    """The deadline of one request's AWS calls, the last call it started, and the dependency of
    each operation it called.

    Shared by reference: worker threads started with a copy of the request's context see (and
    update) the same object.
    """

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.deadline = clock() + seconds
        self.dependency = ""
        self.operation = ""
        self._dependency_of: dict[str, str] = {}
        self.failed_call: tuple[str, str] | None = None  # (dependency, operation)

    def remaining(self) -> float:
        return self.deadline - self._clock()

    def dependency_of(self, operation: str) -> str:
        """The dependency this request called ``operation`` on; empty if it didn't."""
        return self._dependency_of.get(operation, "")

    def calling(self, dependency: str, operation: str) -> None:
        """Note a call about to be made."""
        self.dependency, self.operation = dependency, operation
        self._dependency_of[operation] = dependency

    def starting(self, dependency: str, operation: str) -> None:
        """Note an attempt about to be sent; refuse it once the budget is spent."""
        self.calling(dependency, operation)
        if self.remaining() <= 0:
            raise BudgetExceededError(dependency, operation)


_current: ContextVar[RequestBudget | None] = ContextVar("memos_request_budget", default=None)


def current_budget() -> RequestBudget | None:
    return _current.get()


@contextmanager
def request_budget(seconds: float | None = None) -> Iterator[RequestBudget]:
    """Give the AWS calls made inside the block ``seconds`` (default: the module's
    :data:`DEFAULT_REQUEST_BUDGET_SECONDS`) to start their attempts."""
    budget = RequestBudget(DEFAULT_REQUEST_BUDGET_SECONDS if seconds is None else seconds)
    token = _current.set(budget)
    try:
        yield budget
    finally:
        _current.reset(token)


def watch_budget(client: Any) -> None:
    """Make a boto3 client check the current request's budget before every attempt, and note
    which call failed without an answer (refused, dropped, timed out: the exception can't say)."""
    events = client.meta.events
    events.register("before-call", _before_call, unique_id=f"{_HOOK_ID}-call")
    events.register("before-send", _before_send, unique_id=f"{_HOOK_ID}-send")
    events.register("after-call-error", _after_call_error, unique_id=f"{_HOOK_ID}-error")


def _before_call(event_name: str = "", **_kwargs: Any) -> None:
    budget = _current.get()
    if budget is not None:
        budget.calling(*_call_of(event_name))


def _before_send(event_name: str = "", **_kwargs: Any) -> None:
    budget = _current.get()
    if budget is not None:
        budget.starting(*_call_of(event_name))


def _after_call_error(event_name: str = "", **_kwargs: Any) -> None:
    budget = _current.get()
    if budget is not None:
        budget.failed_call = _call_of(event_name)


def _call_of(event_name: str) -> tuple[str, str]:
    """(dependency, operation) of ``<event>.<service-id>.<Operation>``."""
    parts = event_name.split(".")
    return (parts[1] if len(parts) > 1 else "aws", parts[2] if len(parts) > 2 else "")
