"""AWS misbehaving under the whole app: every lasting fault answers 503 ``unavailable``, soon.

Faults are injected on the real DynamoDB client (over moto) through botocore's ``before-send``
hook, so the SDK's own retries and backoff run as they would against AWS. Each case is called
over Connect and over REST, for a read (GetUser) and for a write (UpdateUser).
"""

from __future__ import annotations

import json
import logging
import time
from typing import TYPE_CHECKING, Any

import pytest
from botocore.awsrequest import AWSResponse, HTTPHeaders
from botocore.exceptions import (
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)
from moto.core.botocore_stubber import MockRawResponse

from functions.user.service import UserService
from memos.config import Settings
from memos.rpc.app import create_service_app
from memos.store import budget
from memos.store.clients import AWS_TIMEOUTS
from tests.integration.user.conftest import TokensForUsers, add_user, token_of
from tests.service_api import ServiceApi

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from memos.store import Stores
    from memos.store.users import User
    from tests.asgi import Response

READS = ("GetItem", "BatchGetItem", "Query")
WRITES = ("PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems")


def _error_response(status: int, code: str) -> Callable[..., AWSResponse]:
    def answer(request: Any, **_kwargs: Any) -> AWSResponse:
        body = json.dumps({"__type": f"com.amazonaws.dynamodb.v20120810#{code}", "message": "x"})
        headers = HTTPHeaders()
        headers["content-type"] = "application/x-amz-json-1.0"
        return AWSResponse(request.url, status, headers, MockRawResponse(body.encode()))

    return answer


def _raising(error: Callable[[Any], Exception]) -> Callable[..., None]:
    def answer(request: Any, **_kwargs: Any) -> None:
        raise error(request)

    return answer


FAULTS: dict[str, Callable[..., Any]] = {
    "throughput exceeded": _error_response(400, "ProvisionedThroughputExceededException"),
    "throttling": _error_response(400, "ThrottlingException"),
    "request limit": _error_response(400, "RequestLimitExceeded"),
    "500 internal": _error_response(500, "InternalServerError"),
    "503 unavailable": _error_response(503, "ServiceUnavailable"),
    "connection refused": _raising(lambda r: EndpointConnectionError(endpoint_url=r.url)),
    "connect timeout": _raising(lambda r: ConnectTimeoutError(endpoint_url=r.url)),
    "read timeout": _raising(lambda r: ReadTimeoutError(endpoint_url=r.url)),
    "connection dropped": _raising(lambda r: ConnectionClosedError(endpoint_url=r.url)),
}


@pytest.fixture
def api(moto_stores: Stores, tmp_path: Path) -> ServiceApi:
    service = UserService(moto_stores, Settings(local_data_dir=str(tmp_path)))
    app = create_service_app(service, verifier=TokensForUsers(moto_stores), cors_origins=[])
    return ServiceApi(app, "UserService")


@pytest.fixture
def user(moto_stores: Stores) -> User:
    return add_user(moto_stores, "steven", display_name="Steven")


def inject(stores: Stores, operations: tuple[str, ...], answer: Callable[..., Any]) -> None:
    events = stores.table.client.meta.events
    for operation in operations:
        events.register(f"before-send.dynamodb.{operation}", answer)


def read(api: ServiceApi, user: User, protocol: str) -> Response:
    if protocol == "connect":
        return api.connect("GetUser", {"name": f"users/{user.id}"})
    return api.rest("GET", f"/api/v1/users/{user.id}")


def write(api: ServiceApi, user: User, protocol: str) -> Response:
    token = token_of(user)
    if protocol == "connect":
        body = {
            "user": {"name": f"users/{user.id}", "displayName": "S"},
            "updateMask": "displayName",
        }
        return api.connect("UpdateUser", body, token)
    return api.rest(
        "PATCH", f"/api/v1/users/{user.id}", {"displayName": "S"}, token, "updateMask=displayName"
    )


def timed(call: Callable[[], Response]) -> tuple[Response, float]:
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def assert_unavailable(response: Response, protocol: str) -> None:
    assert response.status == 503, response.body
    body = response.json()
    assert body["code"] == ("unavailable" if protocol == "connect" else 14)
    assert "temporarily unavailable" in body["message"]
    assert response.header("retry-after") == "1"


@pytest.mark.parametrize("protocol", ["connect", "rest"])
@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_read_meeting_a_lasting_fault_answers_unavailable_in_time(
    api: ServiceApi, moto_stores: Stores, user: User, fault: str, protocol: str
) -> None:
    # Given DynamoDB failing every read the same way, retries included
    inject(moto_stores, READS, FAULTS[fault])

    # When a user is read
    response, elapsed = timed(lambda: read(api, user, protocol))

    # Then the caller is told to come back, well within the request's bound
    assert_unavailable(response, protocol)
    assert elapsed < AWS_TIMEOUTS.worst_case_request_seconds()


@pytest.mark.parametrize("protocol", ["connect", "rest"])
@pytest.mark.parametrize("fault", ["throughput exceeded", "500 internal", "read timeout"])
def test_a_write_meeting_a_lasting_fault_answers_unavailable_in_time(
    api: ServiceApi, moto_stores: Stores, user: User, fault: str, protocol: str
) -> None:
    # Given DynamoDB reading fine but failing every write
    inject(moto_stores, WRITES, FAULTS[fault])

    # When the user's display name is changed
    response, elapsed = timed(lambda: write(api, user, protocol))

    # Then the caller is told to come back, well within the request's bound
    assert_unavailable(response, protocol)
    assert elapsed < AWS_TIMEOUTS.worst_case_request_seconds()


def test_a_fault_the_retries_absorb_is_not_seen(
    api: ServiceApi, moto_stores: Stores, user: User
) -> None:
    # Given DynamoDB throttling the first read only
    throttle = _error_response(400, "ProvisionedThroughputExceededException")
    calls: list[str] = []

    def once(request: Any, **kwargs: Any) -> AWSResponse | None:
        calls.append("sent")
        return throttle(request, **kwargs) if len(calls) == 1 else None

    inject(moto_stores, ("GetItem",), once)

    # When a user is read
    response = read(api, user, "connect")

    # Then the SDK's retry answers it
    assert response.status == 200, response.body
    assert len(calls) >= 2


def test_a_slow_dependency_stops_the_request_at_its_budget(
    api: ServiceApi, moto_stores: Stores, user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a half-second budget and DynamoDB taking 0.3 s to answer every read
    monkeypatch.setattr(budget, "DEFAULT_REQUEST_BUDGET_SECONDS", 0.5)

    def slow(**_kwargs: Any) -> None:
        time.sleep(0.3)

    inject(moto_stores, READS, slow)

    # When a call needing several reads is made (the caller, then the user)
    response, elapsed = timed(lambda: write(api, user, "connect"))

    # Then no read starts after the budget: unavailable, within budget + one attempt
    assert_unavailable(response, "connect")
    assert elapsed < 0.5 + 0.3 + 0.5


def test_the_log_names_the_dependency_and_operation_only(
    api: ServiceApi, moto_stores: Stores, user: User, caplog: pytest.LogCaptureFixture
) -> None:
    # Given DynamoDB refusing connections
    inject(moto_stores, READS, FAULTS["connection refused"])

    # When a user is read
    with caplog.at_level(logging.WARNING):
        read(api, user, "connect")

    # Then one line says what failed where, with no endpoint, key or message text
    records = [r for r in caplog.records if r.getMessage() == "dependency unavailable"]
    assert len(records) == 1
    fields = records[0].__dict__
    assert (fields["dependency"], fields["operation"]) == ("dynamodb", "GetItem")
    assert (fields["fault"], fields["error_code"]) == ("unreachable", "EndpointConnectionError")
    assert "amazonaws" not in str(fields)
