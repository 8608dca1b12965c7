from __future__ import annotations

import pytest
from connectrpc.code import Code

from memos.errors import (
    ERROR_TABLE,
    AlreadyExistsError,
    ErrorKind,
    FailedPreconditionError,
    InternalError,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    ResourceExhaustedError,
    UnauthenticatedError,
    UnavailableError,
    UnimplementedError,
    kind_of_connect_code,
)


@pytest.mark.parametrize(
    ("error", "grpc_code", "connect_code", "http_status"),
    [
        (InvalidArgumentError, 3, Code.INVALID_ARGUMENT, 400),
        (UnauthenticatedError, 16, Code.UNAUTHENTICATED, 401),
        (PermissionDeniedError, 7, Code.PERMISSION_DENIED, 403),
        (NotFoundError, 5, Code.NOT_FOUND, 404),
        (AlreadyExistsError, 6, Code.ALREADY_EXISTS, 409),
        (FailedPreconditionError, 9, Code.FAILED_PRECONDITION, 400),
        (ResourceExhaustedError, 8, Code.RESOURCE_EXHAUSTED, 429),
        (UnimplementedError, 12, Code.UNIMPLEMENTED, 501),
        (InternalError, 13, Code.INTERNAL, 500),
        (UnavailableError, 14, Code.UNAVAILABLE, 503),
    ],
)
def test_each_domain_error_maps_to_one_grpc_code_and_http_status(
    error: type[Exception], grpc_code: int, connect_code: Code, http_status: int
) -> None:
    status = ERROR_TABLE[error("x").kind]  # type: ignore[attr-defined]

    assert (status.grpc_code, status.connect_code, status.http_status) == (
        grpc_code,
        connect_code,
        http_status,
    )


def test_every_error_kind_is_in_the_table() -> None:
    assert set(ERROR_TABLE) == set(ErrorKind)


def test_connect_codes_outside_the_table_count_as_internal() -> None:
    assert kind_of_connect_code(Code.DATA_LOSS) is ErrorKind.INTERNAL
    assert kind_of_connect_code(Code.NOT_FOUND) is ErrorKind.NOT_FOUND
