"""Telling a fault of an AWS dependency apart from a bug.

A dependency fault is something a caller can only wait out: DynamoDB, S3 or Secrets Manager
throttling us or answering 5xx, a connection refused, dropped or timed out after the client's own
retries, or the request's time budget spent. :func:`dependency_fault` recognises one in an
exception (or in the exceptions it was raised from) and says which dependency and operation it
hit, in words safe to log: error codes and class names only, never messages, keys or values.

Failed conditions and cancelled transactions stay what they are (the logic of the caller), except
a transaction cancelled only because DynamoDB throttled or kept conflicting.

Neither botocore nor the table module is imported here until some code has loaded it: an
exception can't come from them before, and functions that never call AWS don't pay for them.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, Final

from msgspec import Struct

from memos.store.budget import BudgetExceededError, current_budget

if TYPE_CHECKING:
    from collections.abc import Iterator

THROTTLED: Final = "throttled"
SERVER_ERROR: Final = "server_error"
UNREACHABLE: Final = "unreachable"
TIMED_OUT: Final = "timed_out"
BUDGET_SPENT: Final = "budget_spent"

# Error codes AWS services use for "slow down" (DynamoDB, S3, Secrets Manager and the SDK's list).
THROTTLING_CODES: Final = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "Throttling",
        "ThrottledException",
        "RequestThrottledException",
        "RequestThrottled",
        "RequestLimitExceeded",
        "TooManyRequestsException",
        "BandwidthLimitExceeded",
        "SlowDown",
        "PriorRequestNotComplete",
        "TransactionInProgressException",
    }
)
SERVER_ERROR_CODES: Final = frozenset(
    {
        "InternalServerError",
        "InternalFailure",
        "InternalError",
        "ServiceUnavailable",
        "ServiceUnavailableException",
        "RequestTimeout",
        "RequestTimeoutException",
    }
)
# Cancellation reasons of a transaction that no retry of ours could have avoided.
_TRANSACTION_FAULT_REASONS: Final = frozenset(
    {
        "ThrottlingError",
        "ProvisionedThroughputExceeded",
        "RequestLimitExceeded",
        "TransactionConflict",
    }
)
_MAX_CAUSES: Final = 8


class DependencyFault(Struct, frozen=True):
    """What went wrong with which dependency; every field is safe to log."""

    dependency: str  # botocore's service id: "dynamodb", "s3", "secrets-manager"; or "aws"
    operation: str  # e.g. "GetItem"; empty when unknown
    fault: str  # THROTTLED, SERVER_ERROR, UNREACHABLE, TIMED_OUT or BUDGET_SPENT
    code: str  # the AWS error code or the exception's class name

    def log_fields(self) -> dict[str, str]:
        return {
            "dependency": self.dependency,
            "operation": self.operation,
            "fault": self.fault,
            "error_code": self.code,
        }


def dependency_fault(error: BaseException) -> DependencyFault | None:
    """The dependency fault behind ``error``, or None when it is not one."""
    for exc in _causes(error):
        found = _classify(exc)
        if found is not None:
            return found
    return None


def _causes(error: BaseException) -> Iterator[BaseException]:
    current: BaseException | None = error
    for _ in range(_MAX_CAUSES):
        if current is None:
            return
        yield current
        current = current.__cause__ or current.__context__


def _classify(exc: BaseException) -> DependencyFault | None:
    if isinstance(exc, BudgetExceededError):
        return DependencyFault(exc.dependency, exc.operation, BUDGET_SPENT, type(exc).__name__)
    table = sys.modules.get("memos.store.table")
    if table is not None and isinstance(exc, table.TransactionCancelledError):
        reasons = {reason for reason in exc.reasons if reason not in ("None", "")}
        if reasons and reasons <= _TRANSACTION_FAULT_REASONS:
            code = "TransactionCanceledException"
            return _fault("TransactWriteItems", THROTTLED, code, dependency="dynamodb")
        return None
    if "botocore.exceptions" not in sys.modules:
        return None
    return _classify_botocore(exc)


def _classify_botocore(exc: BaseException) -> DependencyFault | None:
    from botocore import exceptions as boto  # noqa: PLC0415 - already loaded, see above

    if isinstance(exc, boto.ClientError):
        return _classify_client_error(exc)
    name = type(exc).__name__
    if isinstance(exc, boto.ConnectTimeoutError | boto.ReadTimeoutError):
        return _fault("", TIMED_OUT, name)
    if isinstance(exc, boto.ConnectionError | boto.HTTPClientError):
        # refused, reset or closed connections, DNS and TLS failures, proxies
        return _fault("", UNREACHABLE, name)
    return None


def _classify_client_error(exc: Any) -> DependencyFault | None:
    response: dict[str, Any] = exc.response or {}
    code = str(response.get("Error", {}).get("Code", ""))
    status = int(response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
    operation = str(getattr(exc, "operation_name", "") or "")
    if code in THROTTLING_CODES:
        return _fault(operation, THROTTLED, code)
    if code in SERVER_ERROR_CODES or status >= 500:  # HTTP's server errors
        return _fault(operation, SERVER_ERROR, code or str(status))
    return None


def _fault(operation: str, fault: str, code: str, *, dependency: str = "") -> DependencyFault:
    """Fill in the dependency (and the operation, when the exception doesn't name it) from the
    calls the request made: the one that failed unanswered, else the last one started."""
    budget = current_budget()
    if budget is not None:
        if not operation:
            failed = budget.failed_call or (budget.dependency, budget.operation)
            dependency, operation = dependency or failed[0], failed[1]
        dependency = dependency or budget.dependency_of(operation)
    return DependencyFault(dependency or "aws", operation, fault, code)
