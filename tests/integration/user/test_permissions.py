"""Who may call what: every row of the role table (users.md §3) and the public list (§14).

Callers: anonymous, the target user themself, another USER, and an ADMIN. "Anonymous" on a
protected method is answered by the auth interceptor (UNAUTHENTICATED) before the service runs;
the service's own answer for anonymous PAT calls is checked directly on the service object.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from memos.api.v1 import user_service_pb2 as pb
from memos.domain.enums import Role
from memos.errors import PermissionDeniedError
from tests.integration.user.conftest import PUBLIC_HOST, add_user, token_of

if TYPE_CHECKING:
    from functions.user.service import UserService
    from memos.store import Stores
    from tests.integration.user.conftest import UserApi

OK, UNAUTHENTICATED, DENIED = "ok", "unauthenticated", "permission_denied"
CALLERS = ("anonymous", "self", "other", "admin")

RequestFor = Callable[[int, Any], dict[str, Any]]


def _webhook(target: int, stores: Stores) -> str:
    webhook = stores.webhooks.create(
        target, webhook_id="00112233aabbccdd", title="t", url=f"https://{PUBLIC_HOST}/"
    )
    return f"users/{target}/webhooks/{webhook.webhook_id}"


def _notification(target: int, stores: Stores) -> str:
    notice = stores.notifications.create(receiver_id=target, sender_id=target)
    return f"users/{target}/notifications/{notice.id}"


def _token(target: int, stores: Stores) -> str:
    token = stores.access_tokens.create(
        target, token_id="22222222-2222-4222-8222-222222222222", token_hash="b" * 64
    )
    return f"users/{target}/personalAccessTokens/{token.token_id}"


# method -> (request for target id, expected outcome per caller)
TABLE: dict[str, tuple[RequestFor, tuple[str, str, str, str]]] = {
    "ListUsers": (lambda t, s: {}, (UNAUTHENTICATED, DENIED, DENIED, OK)),
    "GetUser": (lambda t, s: {"name": f"users/{t}"}, (OK, OK, OK, OK)),
    "UpdateUser": (
        lambda t, s: {
            "user": {"name": f"users/{t}", "description": "x"},
            "updateMask": "description",
        },
        (UNAUTHENTICATED, OK, DENIED, OK),
    ),
    "DeleteUser": (lambda t, s: {"name": f"users/{t}"}, (UNAUTHENTICATED, OK, DENIED, OK)),
    "GetUserStats": (lambda t, s: {"name": f"users/{t}"}, (OK, OK, OK, OK)),
    "ListAllUserStats": (lambda t, s: {}, (OK, OK, OK, OK)),
    "SearchUsers": (lambda t, s: {"filter": "alice"}, (OK, OK, OK, OK)),
    "GetUserSetting": (
        lambda t, s: {"name": f"users/{t}/settings/GENERAL"},
        (UNAUTHENTICATED, OK, DENIED, DENIED),
    ),
    "UpdateUserSetting": (
        lambda t, s: {
            "setting": {"name": f"users/{t}/settings/GENERAL", "generalSetting": {"theme": "x"}},
            "updateMask": "theme",
        },
        (UNAUTHENTICATED, OK, DENIED, DENIED),
    ),
    "ListUserSettings": (
        lambda t, s: {"parent": f"users/{t}"},
        (UNAUTHENTICATED, OK, DENIED, DENIED),
    ),
    "ListPersonalAccessTokens": (
        lambda t, s: {"parent": f"users/{t}"},
        (UNAUTHENTICATED, OK, DENIED, OK),
    ),
    "CreatePersonalAccessToken": (
        lambda t, s: {"parent": f"users/{t}"},
        (UNAUTHENTICATED, OK, DENIED, DENIED),
    ),
    "DeletePersonalAccessToken": (
        lambda t, s: {"name": _token(t, s)},
        (UNAUTHENTICATED, OK, DENIED, DENIED),
    ),
    "ListUserWebhooks": (lambda t, s: {"parent": f"users/{t}"}, (UNAUTHENTICATED, OK, DENIED, OK)),
    "CreateUserWebhook": (
        lambda t, s: {"parent": f"users/{t}", "webhook": {"url": f"https://{PUBLIC_HOST}/h"}},
        (UNAUTHENTICATED, OK, DENIED, OK),
    ),
    "UpdateUserWebhook": (
        lambda t, s: {"webhook": {"name": _webhook(t, s), "displayName": "n"}},
        (UNAUTHENTICATED, OK, DENIED, OK),
    ),
    "DeleteUserWebhook": (
        lambda t, s: {"name": _webhook(t, s)},
        (UNAUTHENTICATED, OK, DENIED, OK),
    ),
    "ListUserNotifications": (
        lambda t, s: {"parent": f"users/{t}"},
        (UNAUTHENTICATED, OK, DENIED, DENIED),
    ),
    "UpdateUserNotification": (
        lambda t, s: {
            "notification": {"name": _notification(t, s), "status": "ARCHIVED"},
            "updateMask": "status",
        },
        (UNAUTHENTICATED, OK, DENIED, DENIED),
    ),
    "DeleteUserNotification": (
        lambda t, s: {"name": _notification(t, s)},
        (UNAUTHENTICATED, OK, DENIED, DENIED),
    ),
}
CASES = [
    pytest.param(method, caller, expected[index], id=f"{method}-{caller}")
    for method, (_, expected) in TABLE.items()
    for index, caller in enumerate(CALLERS)
]


@pytest.mark.parametrize(("method", "caller", "expected"), CASES)
def test_role_table(api: UserApi, stores: Stores, method: str, caller: str, expected: str) -> None:
    # Given alice (the target), bob (another USER) and an ADMIN
    alice = add_user(stores, "alice")
    bob = add_user(stores, "bob")
    admin = add_user(stores, "admin", role=Role.ADMIN)
    tokens = {
        "anonymous": None,
        "self": token_of(alice),
        "other": token_of(bob),
        "admin": token_of(admin),
    }
    request_for, _ = TABLE[method]

    # When the caller calls the method about alice
    response = api.connect(method, request_for(alice.id, stores), tokens[caller])

    # Then the outcome is the table's
    outcome = OK if response.status == 200 else response.json()["code"]
    assert outcome == expected, response.body


@pytest.mark.parametrize(
    "method",
    ["CreateUser", "GetUser", "GetUserStats", "ListAllUserStats", "GetUserAvatar", "SearchUsers"],
)
def test_public_methods_run_without_credentials(api: UserApi, method: str) -> None:
    # Given no credentials at all
    # When a public method is called with an empty request
    response = api.connect(method, {})

    # Then the service answers (whatever it makes of the request), never UNAUTHENTICATED
    assert response.status != 401, response.body


def test_invalid_token_on_a_public_method_is_anonymous(api: UserApi, stores: Stores) -> None:
    add_user(stores, "admin", role=Role.ADMIN)
    response = api.connect(
        "CreateUser", {"user": {"username": "newbie", "password": "pw"}}, "bogus"
    )
    assert response.status == 200
    assert response.json()["role"] == "USER"


@pytest.mark.parametrize(
    ("method", "request_type"),
    [
        ("list_personal_access_tokens", pb.ListPersonalAccessTokensRequest),
        ("create_personal_access_token", pb.CreatePersonalAccessTokenRequest),
    ],
)
def test_anonymous_token_calls_are_permission_denied_by_the_service(
    service: UserService, stores: Stores, method: str, request_type: Any
) -> None:
    # Given a user, and a call with no identity reaching the service itself
    user = add_user(stores, "alice")

    # When the service handles it
    # Then it answers PERMISSION_DENIED, as Memos does, never UNAUTHENTICATED
    with pytest.raises(PermissionDeniedError):
        asyncio.run(getattr(service, method)(request_type(parent=f"users/{user.id}"), None))
