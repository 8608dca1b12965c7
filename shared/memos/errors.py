"""Domain errors and the one table that maps them to gRPC codes, Connect codes and HTTP statuses.

Services and the domain raise the subclasses of :class:`MemosError`; the transports (Connect and
REST) translate them through :data:`ERROR_TABLE` and nothing else.
"""

from __future__ import annotations

from enum import Enum

from connectrpc.code import Code
from msgspec import Struct


class Status(Struct, frozen=True):
    """How one error kind looks on the wire."""

    grpc_code: int
    connect_code: Code
    http_status: int


class ErrorKind(Enum):
    INVALID_ARGUMENT = "invalid_argument"
    UNAUTHENTICATED = "unauthenticated"
    PERMISSION_DENIED = "permission_denied"
    NOT_FOUND = "not_found"
    ALREADY_EXISTS = "already_exists"
    FAILED_PRECONDITION = "failed_precondition"
    RESOURCE_EXHAUSTED = "resource_exhausted"
    UNIMPLEMENTED = "unimplemented"
    INTERNAL = "internal"
    UNAVAILABLE = "unavailable"


ERROR_TABLE: dict[ErrorKind, Status] = {
    ErrorKind.INVALID_ARGUMENT: Status(3, Code.INVALID_ARGUMENT, 400),
    ErrorKind.UNAUTHENTICATED: Status(16, Code.UNAUTHENTICATED, 401),
    ErrorKind.PERMISSION_DENIED: Status(7, Code.PERMISSION_DENIED, 403),
    ErrorKind.NOT_FOUND: Status(5, Code.NOT_FOUND, 404),
    ErrorKind.ALREADY_EXISTS: Status(6, Code.ALREADY_EXISTS, 409),
    ErrorKind.FAILED_PRECONDITION: Status(9, Code.FAILED_PRECONDITION, 400),
    ErrorKind.RESOURCE_EXHAUSTED: Status(8, Code.RESOURCE_EXHAUSTED, 429),
    ErrorKind.UNIMPLEMENTED: Status(12, Code.UNIMPLEMENTED, 501),
    ErrorKind.INTERNAL: Status(13, Code.INTERNAL, 500),
    ErrorKind.UNAVAILABLE: Status(14, Code.UNAVAILABLE, 503),
}

# Errors a client should simply retry after a pause: the ``Retry-After`` both transports send.
RETRY_AFTER_SECONDS: dict[ErrorKind, int] = {ErrorKind.UNAVAILABLE: 1}

_KIND_BY_CONNECT_CODE: dict[Code, ErrorKind] = {
    status.connect_code: kind for kind, status in ERROR_TABLE.items()
}

GENERIC_INTERNAL_MESSAGE = "internal server error"
UPDATE_MASK_EMPTY = "update mask is empty"  # UserService's word for an update that names nothing
MEMO_NOT_FOUND = "memo not found"  # the memo and attachment functions' word for a missing memo
# Shown for any fault of AWS (throttling, 5xx, unreachable, timed out); details go to the log.
DEPENDENCY_UNAVAILABLE_MESSAGE = "the service is temporarily unavailable; try again shortly"


class MemosError(Exception):
    """Base of every error a service may raise on purpose; its message is shown to the client."""

    kind: ErrorKind = ErrorKind.INTERNAL

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidArgumentError(MemosError):
    kind = ErrorKind.INVALID_ARGUMENT


class UnauthenticatedError(MemosError):
    kind = ErrorKind.UNAUTHENTICATED


class PermissionDeniedError(MemosError):
    kind = ErrorKind.PERMISSION_DENIED


class NotFoundError(MemosError):
    kind = ErrorKind.NOT_FOUND


class AlreadyExistsError(MemosError):
    kind = ErrorKind.ALREADY_EXISTS


class FailedPreconditionError(MemosError):
    kind = ErrorKind.FAILED_PRECONDITION


class ResourceExhaustedError(MemosError):
    kind = ErrorKind.RESOURCE_EXHAUSTED


class UnimplementedError(MemosError):
    kind = ErrorKind.UNIMPLEMENTED


class InternalError(MemosError):
    kind = ErrorKind.INTERNAL


class UnavailableError(MemosError):
    kind = ErrorKind.UNAVAILABLE


def status_of(kind: ErrorKind) -> Status:
    return ERROR_TABLE[kind]


def retry_after_headers(kind: ErrorKind) -> tuple[tuple[str, str], ...]:
    """The ``Retry-After`` header for an error of this kind, if it has one."""
    seconds = RETRY_AFTER_SECONDS.get(kind)
    return () if seconds is None else (("retry-after", str(seconds)),)


def kind_of_connect_code(code: Code) -> ErrorKind:
    """The error kind for a Connect code; codes outside the table count as INTERNAL."""
    return _KIND_BY_CONNECT_CODE.get(code, ErrorKind.INTERNAL)
