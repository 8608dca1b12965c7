"""A create whose write lands but whose answer is lost succeeds once, when the SDK retries it.

The fault is injected on the real DynamoDB client (over moto) through botocore's ``before-send``
hook. botocore hands a request to every ``before-send`` handler and takes the first answer:
moto's handler comes after ours, so moto applies the first attempt while the SDK sees our 500
instead of moto's answer, and sends the very same request again. That retry meets the "must
not exist" condition on the item its own first attempt wrote.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from botocore.awsrequest import AWSResponse, HTTPHeaders
from moto.core.botocore_stubber import MockRawResponse

from functions.auth.service import AuthService
from functions.shortcut.service import ShortcutService
from functions.user.service import UserService
from memos.api.v1 import auth_service_pb2 as pb
from memos.config import Settings
from memos.rpc.app import create_service_app
from memos.store import keys
from memos.store.table import ConditionFailedError
from tests.integration.identity import PASSWORD, connect_call, local_settings, verifier_for
from tests.integration.identity import add_user as add_user_with_password
from tests.integration.user.conftest import (
    PUBLIC_HOST,
    FakeResolver,
    TokensForUsers,
    add_user,
    token_of,
)
from tests.service_api import ServiceApi

if TYPE_CHECKING:
    from pathlib import Path

    from memos.store import Stores
    from memos.store.users import User


class AnswerLost:
    """The first attempt of an operation lands in moto, but the SDK is answered a 500."""

    def __init__(self, stores: Stores, operation: str) -> None:
        self.bodies: list[bytes] = []
        hook: Any = self  # botocore's stubs type hooks as returning None; before-send ones answer
        stores.table.client.meta.events.register(f"before-send.dynamodb.{operation}", hook)

    def __call__(self, request: Any, **_kwargs: Any) -> AWSResponse | None:
        self.bodies.append(bytes(request.body))
        if len(self.bodies) > 1:
            return None  # the retry goes through as usual
        body = json.dumps(
            {"__type": "com.amazonaws.dynamodb.v20120810#InternalServerError", "message": "x"}
        )
        headers = HTTPHeaders()
        headers["content-type"] = "application/x-amz-json-1.0"
        return AWSResponse(request.url, 500, headers, MockRawResponse(body.encode()))

    @property
    def retried(self) -> bool:
        return len(self.bodies) == 2 and self.bodies[0] == self.bodies[1]


def items_under(stores: Stores, partition: str, prefix: str) -> list[dict[str, Any]]:
    return stores.table.query_all(partition, sort_prefix=prefix, consistent=True)


@pytest.fixture
def user(moto_stores: Stores) -> User:
    return add_user(moto_stores, "steven")


@pytest.fixture
def user_api(moto_stores: Stores, tmp_path: Path) -> ServiceApi:
    service = UserService(
        moto_stores,
        Settings(local_data_dir=str(tmp_path)),
        resolve_webhook_host=FakeResolver(),
    )
    app = create_service_app(service, verifier=TokensForUsers(moto_stores), cors_origins=[])
    return ServiceApi(app, "UserService")


def test_sign_in_whose_session_write_answer_is_lost_signs_in_once(
    moto_stores: Stores, tmp_path: Path
) -> None:
    # Given a user with a password, and the answer to the session's PutItem lost once
    settings = local_settings(tmp_path)
    app = create_service_app(
        AuthService(moto_stores, settings),
        settings=settings,
        verifier=verifier_for(moto_stores, settings),
    )
    user = add_user_with_password(moto_stores, "alice")
    fault = AnswerLost(moto_stores, "PutItem")

    # When they sign in
    request = pb.SignInRequest(
        password_credentials=pb.SignInRequest.PasswordCredentials(
            username="alice", password=PASSWORD
        )
    )
    response = connect_call(app, "/memos.api.v1.AuthService/SignIn", request, {})

    # Then the SDK's retry is recognised as the same write: signed in, one session stored
    assert response.status == 200, response.body
    assert fault.retried
    assert len(moto_stores.sessions.list_for_user(user.id)) == 1


def test_a_webhook_whose_write_answer_is_lost_is_created_once(
    moto_stores: Stores, user_api: ServiceApi, user: User
) -> None:
    # Given the answer to the webhook's PutItem lost once
    fault = AnswerLost(moto_stores, "PutItem")

    # When the user creates a webhook
    created = user_api.ok(
        "CreateUserWebhook",
        {"parent": f"users/{user.id}", "webhook": {"url": f"https://{PUBLIC_HOST}/hook"}},
        token_of(user),
    )

    # Then it is created, and stored once
    assert fault.retried
    [stored] = moto_stores.webhooks.list_for_user(user.id)
    assert created["name"].endswith(stored.webhook_id)


def test_a_personal_access_token_whose_transaction_answer_is_lost_is_created_once(
    moto_stores: Stores, user_api: ServiceApi, user: User
) -> None:
    # Given the answer to the token's TransactWriteItems lost once
    fault = AnswerLost(moto_stores, "TransactWriteItems")

    # When the user creates a personal access token
    created = user_api.ok(
        "CreatePersonalAccessToken", {"parent": f"users/{user.id}"}, token_of(user)
    )

    # Then it is created once, with its hash lookup, and it is the token handed out
    assert fault.retried
    [stored] = moto_stores.access_tokens.list_for_user(user.id)
    assert created["personalAccessToken"]["name"].endswith(stored.token_id)
    match = moto_stores.access_tokens.find_by_hash(stored.token_hash)
    assert match is not None
    assert match.token_id == stored.token_id


def test_a_transaction_keeps_one_client_request_token_across_the_sdk_retries(
    moto_stores: Stores, user_api: ServiceApi, user: User
) -> None:
    # Given the answer to a TransactWriteItems lost once
    fault = AnswerLost(moto_stores, "TransactWriteItems")

    # When a transaction is written (a personal access token)
    user_api.ok("CreatePersonalAccessToken", {"parent": f"users/{user.id}"}, token_of(user))

    # Then both attempts carried the same, filled-in ClientRequestToken
    first, retry = (json.loads(body) for body in fault.bodies)
    assert first["ClientRequestToken"]
    assert retry["ClientRequestToken"] == first["ClientRequestToken"]


def test_a_shortcut_whose_write_answer_is_lost_is_created_once(
    moto_stores: Stores, user: User
) -> None:
    # Given the answer to the shortcut's PutItem lost once
    app = create_service_app(
        ShortcutService(moto_stores), verifier=TokensForUsers(moto_stores), cors_origins=[]
    )
    api = ServiceApi(app, "ShortcutService")
    fault = AnswerLost(moto_stores, "PutItem")

    # When the user creates a shortcut
    api.ok(
        "CreateShortcut",
        {"parent": f"users/{user.id}", "shortcut": {"title": "Tags", "filter": "tag in ['a']"}},
        token_of(user),
    )

    # Then it is created, and stored once
    assert fault.retried
    assert len(items_under(moto_stores, keys.user_partition(user.id), keys.SHORTCUT_PREFIX)) == 1


def test_a_create_meeting_an_item_another_call_wrote_still_fails(
    moto_stores: Stores, user: User
) -> None:
    # Given a webhook created by an earlier call
    moto_stores.webhooks.create(user.id, webhook_id="w1", title="", url="https://example.com")

    # When another call creates an item under the same key
    item = {**keys.webhook_key(user.id, "w1").attributes(), "entity": "WEBHOOK"}

    # Then its condition fails: only its own write counts as done
    with pytest.raises(ConditionFailedError):
        moto_stores.table.put_new(item)
