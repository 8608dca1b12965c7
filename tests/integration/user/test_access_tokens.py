"""Personal access tokens through UserService (users.md §8, auth.md §5)."""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING

from memos.auth.personal_access_tokens import hash_personal_access_token
from memos.domain.enums import Role
from tests.integration.user.conftest import add_user, error_of, token_of

if TYPE_CHECKING:
    from memos.store import Stores
    from tests.integration.user.conftest import UserApi

TOKEN_NAME = re.compile(r"^users/(\d+)/personalAccessTokens/([0-9a-f-]{36})$")


def test_created_token_is_shown_once_and_stored_only_as_a_hash(
    api: UserApi, stores: Stores
) -> None:
    # Given a user
    user = add_user(stores, "alice")

    # When they create a token
    created = api.ok(
        "CreatePersonalAccessToken",
        {"parent": f"users/{user.id}", "description": "cli"},
        token_of(user),
    )

    # Then the response carries the token text and its metadata
    token = created["token"]
    assert re.fullmatch(r"memos_pat_[0-9A-Za-z]{32}", token)
    record = created["personalAccessToken"]
    assert TOKEN_NAME.match(record["name"])
    assert record["description"] == "cli"
    assert "createdAt" in record
    assert "expiresAt" not in record

    # And the store knows its hash, never the text
    match = stores.access_tokens.find_by_hash(hash_personal_access_token(token))
    assert match is not None and match.user_id == user.id
    listed = api.ok("ListPersonalAccessTokens", {"parent": f"users/{user.id}"}, token_of(user))
    assert token not in str(listed)
    assert [item["name"] for item in listed["personalAccessTokens"]] == [record["name"]]


def test_listing_never_shows_token_text_or_hash(api: UserApi, stores: Stores) -> None:
    user = add_user(stores, "alice")
    created = api.ok("CreatePersonalAccessToken", {"parent": f"users/{user.id}"}, token_of(user))
    response = api.rest(
        "GET", f"/api/v1/users/{user.id}/personalAccessTokens", token=token_of(user)
    )
    assert response.status == 200
    text = response.body.decode()
    assert created["token"] not in text
    assert hash_personal_access_token(created["token"]) not in text
    assert "token" not in response.json()["personalAccessTokens"][0]


def test_expiring_token_gets_an_expiry_n_days_out(api: UserApi, stores: Stores) -> None:
    user = add_user(stores, "alice")
    before = int(time.time())
    api.ok(
        "CreatePersonalAccessToken",
        {"parent": f"users/{user.id}", "expiresInDays": 30},
        token_of(user),
    )
    [stored] = stores.access_tokens.list_for_user(user.id)
    assert stored.expires_at is not None
    assert before + 30 * 86400 <= stored.expires_at <= int(time.time()) + 30 * 86400


def test_expired_tokens_are_still_listed(api: UserApi, stores: Stores) -> None:
    user = add_user(stores, "alice")
    stores.access_tokens.create(
        user.id, token_id="00000000-0000-4000-8000-000000000000", token_hash="a" * 64, expires_at=1
    )
    listed = api.ok("ListPersonalAccessTokens", {"parent": f"users/{user.id}"}, token_of(user))
    assert listed["personalAccessTokens"][0]["expiresAt"] == "1970-01-01T00:00:01Z"


def test_absurd_expiry_is_invalid_argument(api: UserApi, stores: Stores) -> None:
    user = add_user(stores, "alice")
    response = api.connect(
        "CreatePersonalAccessToken",
        {"parent": f"users/{user.id}", "expiresInDays": 2_000_000_000},
        token_of(user),
    )
    assert error_of(response)[1] == "invalid_argument"


def test_delete_token_removes_it_and_its_hash(api: UserApi, stores: Stores) -> None:
    # Given a user with a token
    user = add_user(stores, "alice")
    created = api.ok("CreatePersonalAccessToken", {"parent": f"users/{user.id}"}, token_of(user))

    # When they delete it over REST
    name = created["personalAccessToken"]["name"]
    response = api.rest("DELETE", f"/api/v1/{name}", token=token_of(user))

    # Then it is gone, and its hash no longer authenticates
    assert response.status == 200, response.body
    assert stores.access_tokens.list_for_user(user.id) == []
    assert stores.access_tokens.find_by_hash(hash_personal_access_token(created["token"])) is None


def test_deleting_an_unknown_token_succeeds(api: UserApi, stores: Stores) -> None:
    user = add_user(stores, "alice")
    name = f"users/{user.id}/personalAccessTokens/11111111-1111-4111-8111-111111111111"
    assert api.ok("DeletePersonalAccessToken", {"name": name}, token_of(user)) == {}


def test_malformed_token_name_is_invalid_argument(api: UserApi, stores: Stores) -> None:
    user = add_user(stores, "alice")
    for name in (
        "users/1/tokens/x",
        f"users/{user.id}/personalAccessTokens",
        "users/x/personalAccessTokens/y",
    ):
        status, code, message = error_of(
            api.connect("DeletePersonalAccessToken", {"name": name}, token_of(user))
        )
        assert (status, code) == (400, "invalid_argument")
        assert message.startswith("invalid personal access token name")


def test_admin_may_list_but_not_create_or_delete_others_tokens(
    api: UserApi, stores: Stores
) -> None:
    # Given a user with a token, and an ADMIN
    user = add_user(stores, "alice")
    admin = add_user(stores, "admin", role=Role.ADMIN)
    created = api.ok("CreatePersonalAccessToken", {"parent": f"users/{user.id}"}, token_of(user))

    # When the ADMIN lists, creates and deletes the user's tokens
    listed = api.connect(
        "ListPersonalAccessTokens", {"parent": f"users/{user.id}"}, token_of(admin)
    )
    create = api.connect(
        "CreatePersonalAccessToken", {"parent": f"users/{user.id}"}, token_of(admin)
    )
    delete = api.connect(
        "DeletePersonalAccessToken",
        {"name": created["personalAccessToken"]["name"]},
        token_of(admin),
    )

    # Then listing works (metadata only); creating and deleting are denied
    assert listed.status == 200
    assert error_of(create) == (403, "permission_denied", "permission denied")
    assert error_of(delete) == (403, "permission_denied", "permission denied")
    assert len(stores.access_tokens.list_for_user(user.id)) == 1


def test_other_users_cannot_touch_tokens(api: UserApi, stores: Stores) -> None:
    user = add_user(stores, "alice")
    other = add_user(stores, "bob")
    for method in ("ListPersonalAccessTokens", "CreatePersonalAccessToken"):
        response = api.connect(method, {"parent": f"users/{user.id}"}, token_of(other))
        assert error_of(response) == (403, "permission_denied", "permission denied")


def test_anonymous_token_calls_are_unauthenticated_at_the_interceptor(api: UserApi) -> None:
    response = api.connect("ListPersonalAccessTokens", {"parent": "users/1"})
    assert error_of(response)[:2] == (401, "unauthenticated")
