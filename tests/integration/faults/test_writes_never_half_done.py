"""A write cut short by a failing DynamoDB leaves nothing a client can see half-done.

Faults are injected on the real DynamoDB client (over moto) through botocore's ``before-send``
hook: every attempt of the operation fails to connect (so nothing of it is written), the SDK's
retries give up, and the write stops part-way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from botocore.exceptions import EndpointConnectionError

from functions.auth.service import AuthService
from memos.api.v1 import auth_service_pb2 as pb
from memos.auth.personal_access_tokens import (
    generate_personal_access_token,
    hash_personal_access_token,
)
from memos.rpc.app import create_service_app
from memos.store.users import NewUser
from tests.integration.identity import (
    PASSWORD,
    add_user,
    connect_call,
    cookie_pair,
    local_settings,
    verifier_for,
)

if TYPE_CHECKING:
    from pathlib import Path

    from memos.store import Stores


def _failing(request: Any, **_kwargs: Any) -> None:
    # Raising stops botocore before moto's own handler sees the request: nothing is written.
    raise EndpointConnectionError(endpoint_url=request.url)


def fail(stores: Stores, operation: str) -> None:
    stores.table.client.meta.events.register(f"before-send.dynamodb.{operation}", _failing)


def heal(stores: Stores, operation: str) -> None:
    stores.table.client.meta.events.unregister(f"before-send.dynamodb.{operation}", _failing)


def test_a_user_whose_creation_fails_leaves_nothing_behind(moto_stores: Stores) -> None:
    # Given DynamoDB failing every transaction
    fail(moto_stores, "TransactWriteItems")

    # When a user is created
    with pytest.raises(EndpointConnectionError):
        moto_stores.users.create(NewUser(username="alice"))

    # Then, once DynamoDB is back, there is no trace of it and its username is free
    heal(moto_stores, "TransactWriteItems")
    assert moto_stores.users.get_by_username("alice") is None
    created = moto_stores.users.create(NewUser(username="alice"))
    assert moto_stores.users.get_by_username("alice") == created


def test_a_token_whose_creation_fails_is_neither_listed_nor_usable(
    moto_stores: Stores, tmp_path: Path
) -> None:
    # Given a user, and DynamoDB failing every transaction
    user = add_user(moto_stores, "alice")
    token = generate_personal_access_token()
    fail(moto_stores, "TransactWriteItems")

    # When a personal access token is created for them
    with pytest.raises(EndpointConnectionError):
        moto_stores.access_tokens.create(
            user.id, token_id="t1", token_hash=hash_personal_access_token(token)
        )

    # Then it is not listed, and it does not authenticate
    heal(moto_stores, "TransactWriteItems")
    assert moto_stores.access_tokens.list_for_user(user.id) == []
    assert verifier_for(moto_stores, local_settings(tmp_path)).verify(token) is None


def test_a_user_deleted_while_the_cleanup_fails_can_no_longer_get_in_any_way(
    moto_stores: Stores, tmp_path: Path
) -> None:
    # Given a signed-in user with a personal access token
    settings = local_settings(tmp_path)
    app = create_service_app(
        AuthService(moto_stores, settings),
        settings=settings,
        verifier=verifier_for(moto_stores, settings),
    )
    user = add_user(moto_stores, "alice")
    request = pb.SignInRequest(
        password_credentials=pb.SignInRequest.PasswordCredentials(
            username="alice", password=PASSWORD
        )
    )
    signed_in = connect_call(app, "/memos.api.v1.AuthService/SignIn", request)
    assert signed_in.status == 200, signed_in.body
    access_token = pb.SignInResponse.FromString(signed_in.body).access_token
    cookie = cookie_pair(signed_in.header("set-cookie"))
    token = generate_personal_access_token()
    moto_stores.access_tokens.create(
        user.id, token_id="t1", token_hash=hash_personal_access_token(token)
    )

    # When the user is deleted and the batch cleanup after its transaction fails
    fail(moto_stores, "BatchWriteItem")
    with pytest.raises(EndpointConnectionError):
        moto_stores.users.delete(user.id)

    # Then the user is gone, and neither its access token, its refresh cookie nor its
    # personal access token (left in the table) lets anyone in
    verifier = verifier_for(moto_stores, settings)
    assert moto_stores.users.get(user.id) is None
    assert moto_stores.users.get_by_username("alice") is None
    assert moto_stores.access_tokens.find_by_hash(hash_personal_access_token(token)) is not None
    assert verifier.verify(token) is None
    assert verifier.verify(access_token) is None
    refreshed = connect_call(
        app, "/memos.api.v1.AuthService/RefreshToken", pb.RefreshTokenRequest(), {"cookie": cookie}
    )
    assert refreshed.status == 401, refreshed.body
    # and a new user taking the name starts clean
    heal(moto_stores, "BatchWriteItem")
    newcomer = moto_stores.users.create(NewUser(username="alice"))
    assert moto_stores.access_tokens.list_for_user(newcomer.id) == []
    assert moto_stores.sessions.list_for_user(newcomer.id) == []
