"""Concurrent sign-ups for one username: exactly one wins, whatever the timing.

Twenty threads call CreateUser through the app at once (each thread its own event loop, as
separate Lambdas would be), with moto applying each DynamoDB request atomically as DynamoDB does.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import pytest

from functions.user.service import UserService
from memos.api.v1 import user_service_pb2 as pb
from memos.rpc.app import create_service_app
from tests.integration.identity import add_user, connect_call, local_settings, verifier_for

if TYPE_CHECKING:
    from pathlib import Path

    from memos.rpc.asgi import ASGIApp
    from memos.store import Stores
    from tests.asgi import Response

CREATE_USER = "/memos.api.v1.UserService/CreateUser"
CALLERS = 20


@pytest.fixture
def app(stores: Stores, tmp_path: Path) -> ASGIApp:
    settings = local_settings(tmp_path)
    return create_service_app(
        UserService(stores, settings), settings=settings, verifier=verifier_for(stores, settings)
    )


def sign_up_at_once(app: ASGIApp, username: str) -> list[Response]:
    start = threading.Barrier(CALLERS)
    request = pb.CreateUserRequest(user=pb.User(username=username, password="pw"))

    def sign_up(_: int) -> Response:
        start.wait()
        return connect_call(app, CREATE_USER, request)

    with ThreadPoolExecutor(max_workers=CALLERS) as pool:
        return list(pool.map(sign_up, range(CALLERS)))


def assert_exactly_one_created(responses: list[Response]) -> None:
    statuses = sorted(response.status for response in responses)
    assert statuses == [200] + [409] * (CALLERS - 1), [r.body for r in responses]
    for response in responses:
        if response.status == 409:
            assert response.json()["code"] == "already_exists"


def test_concurrent_sign_ups_for_one_name_create_exactly_one_user(
    app: ASGIApp, stores: Stores
) -> None:
    # Given an instance that already has its admin
    add_user(stores, "root", role="ADMIN")

    # When twenty people sign up as "ada" at the same moment
    responses = sign_up_at_once(app, "ada")

    # Then one of them gets the account and the others are told the name is taken
    assert_exactly_one_created(responses)
    assert stores.users.count() == 2
    assert stores.users.get_by_username("ada") is not None


def test_concurrent_first_sign_ups_create_one_admin(app: ASGIApp, stores: Stores) -> None:
    # Given an empty instance, where the first user becomes its admin
    # When twenty people sign up as "ada" at the same moment
    responses = sign_up_at_once(app, "ada")

    # Then exactly one account exists, and it is the admin
    assert_exactly_one_created(responses)
    assert stores.users.count() == 1
    winner = next(response for response in responses if response.status == 200)
    assert pb.User.FromString(winner.body).role == pb.User.ADMIN
