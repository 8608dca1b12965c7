"""GetUser, ListUsers, UpdateUser and DeleteUser (users.md §1, §2, §4)."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

import pytest

from memos.auth.passwords import verify_password
from memos.domain.enums import Role
from memos.store.users import UserChanges
from tests.integration.user.conftest import add_user, error_of, set_general, token_of

if TYPE_CHECKING:
    from memos.store import Stores
    from tests.asgi import Response
    from tests.integration.user.conftest import UserApi


def camel(path: str) -> str:
    """A mask path as protobuf JSON writes it (``display_name`` -> ``displayName``)."""
    head, *rest = path.split("_")
    return head + "".join(part.title() for part in rest)


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PNG_URI = "data:image/png;base64," + base64.b64encode(PNG).decode()


def update(
    api: UserApi, token: str | None, name: str, paths: list[str], **user: object
) -> Response:
    body = {"user": {"name": name, **user}, "updateMask": ",".join(map(camel, paths))}
    return api.connect("UpdateUser", body, token)


# --- GetUser -----------------------------------------------------------------------------------


def test_get_user_by_id_is_public_without_the_email(api: UserApi, stores: Stores) -> None:
    # Given a user with an email
    user = add_user(stores, "steven", email="steven@example.com", display_name="Steven")

    # When an anonymous caller gets users/{id}
    found = api.ok("GetUser", {"name": f"users/{user.id}"})

    # Then the public view comes back: no email (Memos shows it; see docs/decisions.md)
    assert found["name"] == f"users/{user.id}"
    assert found["username"] == "steven"
    assert "email" not in found
    assert found["displayName"] == "Steven"
    assert found["role"] == "USER"
    assert "password" not in found


def test_get_user_by_username_is_exact_and_case_sensitive(api: UserApi, stores: Stores) -> None:
    # Given "Steven"
    user = add_user(stores, "Steven")

    # When looked up by the exact username, and by another case
    found = api.ok("GetUser", {"name": "users/Steven"})
    other_case = api.connect("GetUser", {"name": "users/steven"})

    # Then the exact one finds the user, the other is NOT_FOUND
    assert found["name"] == f"users/{user.id}"
    assert error_of(other_case) == (404, "not_found", "user not found")


def test_get_user_zero_is_the_system_bot(api: UserApi) -> None:
    # Given any instance
    # When users/0 is fetched
    bot = api.ok("GetUser", {"name": "users/0"})

    # Then the built-in bot answers, with no state and zero times
    assert bot["username"] == "system_bot"
    assert bot["displayName"] == "Bot"
    assert bot["role"] == "ADMIN"
    assert "state" not in bot
    assert bot["createTime"] == "1970-01-01T00:00:00Z"


def test_get_user_zero_over_rest_shows_unspecified_state(api: UserApi) -> None:
    response = api.rest("GET", "/api/v1/users/0")
    assert response.status == 200
    assert response.json()["state"] == "STATE_UNSPECIFIED"
    assert response.json()["password"] == ""


def test_get_unknown_user_is_not_found(api: UserApi) -> None:
    assert error_of(api.connect("GetUser", {"name": "users/99999"})) == (
        404,
        "not_found",
        "user not found",
    )


@pytest.mark.parametrize("name", ["users", "users/", "user/1", "users/1/extra", ""])
def test_get_user_with_malformed_name_is_invalid_argument(api: UserApi, name: str) -> None:
    status, code, message = error_of(api.connect("GetUser", {"name": name}))
    assert (status, code) == (400, "invalid_argument")
    assert message.startswith("invalid user name")


def test_get_user_returns_archived_users(api: UserApi, stores: Stores) -> None:
    user = add_user(stores, "gone", state="ARCHIVED")
    assert api.ok("GetUser", {"name": f"users/{user.id}"})["state"] == "ARCHIVED"


def test_numeric_name_is_an_id_even_when_a_username_is_numeric(
    api: UserApi, stores: Stores
) -> None:
    # Given a user whose username is all digits
    add_user(stores, "first")
    add_user(stores, "12345")

    # When users/12345 is fetched
    response = api.connect("GetUser", {"name": "users/12345"})

    # Then it is read as id 12345, which does not exist
    assert error_of(response)[1] == "not_found"


def test_get_user_over_rest(api: UserApi, stores: Stores) -> None:
    user = add_user(stores, "resty")
    response = api.rest("GET", f"/api/v1/users/{user.id}")
    assert response.status == 200
    assert response.json()["username"] == "resty"


def test_data_uri_avatar_is_shown_as_the_file_route(api: UserApi, stores: Stores) -> None:
    # Given a user with an uploaded avatar and one with an external avatar URL
    uploaded = add_user(stores, "pic", avatar_url=PNG_URI)
    external = add_user(stores, "sso", avatar_url="https://cdn.example.com/a.png")

    # When both are fetched
    # Then the upload is pointed at by its file route, the URL passes through
    assert api.ok("GetUser", {"name": "users/pic"})["avatarUrl"] == (
        f"/file/users/{uploaded.id}/avatar"
    )
    assert api.ok("GetUser", {"name": f"users/{external.id}"})["avatarUrl"] == (
        "https://cdn.example.com/a.png"
    )


# --- ListUsers ---------------------------------------------------------------------------------


def test_list_users_returns_everyone_newest_first_to_an_admin(api: UserApi, stores: Stores) -> None:
    # Given an ADMIN, a USER and an archived USER
    admin = add_user(stores, "admin", role=Role.ADMIN)
    add_user(stores, "alice")
    add_user(stores, "archived", state="ARCHIVED")

    # When the ADMIN lists users
    listed = api.ok("ListUsers", {}, token_of(admin))

    # Then all three come back, newest first, archived included, with no next page
    assert [user["username"] for user in listed["users"]] == ["archived", "alice", "admin"]
    assert listed["totalSize"] == 3
    assert "nextPageToken" not in listed


def test_list_users_is_refused_to_regular_users(api: UserApi, stores: Stores) -> None:
    user = add_user(stores, "alice")
    assert error_of(api.connect("ListUsers", {}, token_of(user))) == (
        403,
        "permission_denied",
        "permission denied",
    )


def test_list_users_requires_authentication(api: UserApi) -> None:
    status, code, _ = error_of(api.connect("ListUsers", {}))
    assert (status, code) == (401, "unauthenticated")


@pytest.mark.parametrize(
    "filter_text", ['username == "alice"', "username == 'alice'", '"alice" == username']
)
def test_list_users_filters_by_exact_username(
    api: UserApi, stores: Stores, filter_text: str
) -> None:
    # Given an ADMIN and two users
    admin = add_user(stores, "admin", role=Role.ADMIN)
    add_user(stores, "alice")
    add_user(stores, "alicia")

    # When the ADMIN filters by username
    listed = api.ok("ListUsers", {"filter": filter_text}, token_of(admin))

    # Then only that user comes back
    assert [user["username"] for user in listed["users"]] == ["alice"]
    assert listed["totalSize"] == 1


def test_list_users_filter_for_unknown_username_is_empty(api: UserApi, stores: Stores) -> None:
    admin = add_user(stores, "admin", role=Role.ADMIN)
    listed = api.ok("ListUsers", {"filter": 'username == "nobody"'}, token_of(admin))
    assert listed.get("users", []) == []


@pytest.mark.parametrize(
    "filter_text",
    ['username == ""', 'email == "a@b.c"', 'username != "alice"', "username ==", "role == 'ADMIN'"],
)
def test_list_users_refuses_other_filters(api: UserApi, stores: Stores, filter_text: str) -> None:
    admin = add_user(stores, "admin", role=Role.ADMIN)
    status, code, message = error_of(
        api.connect("ListUsers", {"filter": filter_text}, token_of(admin))
    )
    assert (status, code) == (400, "invalid_argument")
    assert message.startswith("invalid filter")


def test_list_users_pages_with_signed_tokens(api: UserApi, stores: Stores) -> None:
    # Given an ADMIN and four more users
    admin = add_user(stores, "admin", role=Role.ADMIN)
    for n in range(4):
        add_user(stores, f"user{n}")

    # When the ADMIN pages through them two at a time
    seen: list[str] = []
    token = ""
    pages = 0
    while True:
        page = api.ok("ListUsers", {"pageSize": 2, "pageToken": token}, token_of(admin))
        pages += 1
        seen.extend(user["username"] for user in page.get("users", []))
        assert page["totalSize"] == 5
        token = page.get("nextPageToken", "")
        if not token:
            break

    # Then every user is seen once, newest first
    assert seen == ["user3", "user2", "user1", "user0", "admin"]
    assert pages >= 3


def test_list_users_rejects_a_tampered_page_token(api: UserApi, stores: Stores) -> None:
    # Given a page token the server issued
    admin = add_user(stores, "admin", role=Role.ADMIN)
    add_user(stores, "alice")
    add_user(stores, "bob")
    token = api.ok("ListUsers", {"pageSize": 1}, token_of(admin))["nextPageToken"]

    # When its payload is altered (or it is garbage)
    body, signature = token.split(".")
    forged = (
        base64.urlsafe_b64encode(
            base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).replace(b"USER#", b"USER#9")
        )
        .decode()
        .rstrip("=")
    )
    for bad in (f"{forged}.{signature}", "not-a-token", token + "x"):
        response = api.connect("ListUsers", {"pageSize": 1, "pageToken": bad}, token_of(admin))

        # Then it is INVALID_ARGUMENT "invalid page token"
        assert error_of(response) == (400, "invalid_argument", "invalid page token")


def test_list_users_over_rest_with_page_size(api: UserApi, stores: Stores) -> None:
    admin = add_user(stores, "admin", role=Role.ADMIN)
    add_user(stores, "alice")
    response = api.rest("GET", "/api/v1/users", token=token_of(admin), query="pageSize=1")
    assert response.status == 200
    body = response.json()
    assert [user["username"] for user in body["users"]] == ["alice"]
    assert body["nextPageToken"]


# --- UpdateUser --------------------------------------------------------------------------------


def test_user_updates_own_profile_fields(api: UserApi, stores: Stores) -> None:
    # Given a user
    user = add_user(stores, "alice")

    # When they change display name, email, description and avatar
    response = update(
        api,
        token_of(user),
        f"users/{user.id}",
        ["display_name", "email", "description", "avatar_url"],
        displayName="Alice A.",
        email="alice@example.com",
        description="hi there",
        avatarUrl=PNG_URI,
    )

    # Then the changes are saved, and the avatar is served by the file route
    assert response.status == 200, response.body
    updated = response.json()
    assert updated["displayName"] == "Alice A."
    assert updated["email"] == "alice@example.com"
    assert updated["description"] == "hi there"
    assert updated["avatarUrl"] == f"/file/users/{user.id}/avatar"
    stored = stores.users.get(user.id)
    assert stored is not None and stored.avatar_url == PNG_URI


def test_update_user_bumps_update_time(api: UserApi, stores: Stores) -> None:
    user = add_user(stores, "alice")
    stores.users.update(user.id, UserChanges(updated_at=1))
    updated = update(api, token_of(user), f"users/{user.id}", ["email"], email="a@b.c").json()
    assert updated["updateTime"] != "1970-01-01T00:00:01Z"


def test_user_changes_own_username(api: UserApi, stores: Stores) -> None:
    user = add_user(stores, "alice")
    response = update(api, token_of(user), f"users/{user.id}", ["username"], username="alicia")
    assert response.json()["username"] == "alicia"
    assert stores.users.get_by_username("alice") is None
    assert stores.users.get_by_username("alicia") is not None


def test_renaming_to_a_taken_username_is_already_exists(api: UserApi, stores: Stores) -> None:
    add_user(stores, "bob")
    user = add_user(stores, "alice")
    response = update(api, token_of(user), f"users/{user.id}", ["username"], username="bob")
    assert error_of(response)[:2] == (409, "already_exists")


def test_renaming_to_an_invalid_username_is_invalid_argument(api: UserApi, stores: Stores) -> None:
    user = add_user(stores, "alice")
    response = update(api, token_of(user), f"users/{user.id}", ["username"], username="a_b")
    assert error_of(response) == (400, "invalid_argument", "invalid username: a_b")


def test_disallow_change_username_binds_admins_too(api: UserApi, stores: Stores) -> None:
    # Given username changes are disallowed
    admin = add_user(stores, "admin", role=Role.ADMIN)
    set_general(stores, disallow_change_username=True)

    # When the ADMIN renames themself
    response = update(api, token_of(admin), f"users/{admin.id}", ["username"], username="boss")

    # Then it is refused
    assert error_of(response) == (
        403,
        "permission_denied",
        "permission denied: disallow change username",
    )


def test_disallow_change_username_ignores_an_unchanged_username(
    api: UserApi, stores: Stores
) -> None:
    user = add_user(stores, "alice")
    set_general(stores, disallow_change_username=True)
    response = update(
        api,
        token_of(user),
        f"users/{user.id}",
        ["username", "email"],
        username="alice",
        email="a@b.c",
    )
    assert response.status == 200, response.body


def test_disallow_change_nickname_blocks_display_name(api: UserApi, stores: Stores) -> None:
    user = add_user(stores, "alice")
    set_general(stores, disallow_change_nickname=True)
    response = update(api, token_of(user), f"users/{user.id}", ["display_name"], displayName="Al")
    assert error_of(response) == (
        403,
        "permission_denied",
        "permission denied: disallow change nickname",
    )


def test_user_cannot_change_own_role(api: UserApi, stores: Stores) -> None:
    user = add_user(stores, "alice")
    response = update(api, token_of(user), f"users/{user.id}", ["role"], role="ADMIN")
    assert error_of(response) == (403, "permission_denied", "permission denied")
    stored = stores.users.get(user.id)
    assert stored is not None and stored.role == Role.USER


def test_admin_promotes_and_demotes(api: UserApi, stores: Stores) -> None:
    # Given an ADMIN and a USER
    admin = add_user(stores, "admin", role=Role.ADMIN)
    user = add_user(stores, "alice")

    # When the ADMIN promotes the USER, then demotes themself
    promoted = update(api, token_of(admin), f"users/{user.id}", ["role"], role="ADMIN").json()
    demoted = update(api, token_of(admin), f"users/{admin.id}", ["role"], role="USER").json()

    # Then both roles changed
    assert promoted["role"] == "ADMIN"
    assert demoted["role"] == "USER"


def test_unspecified_role_means_user(api: UserApi, stores: Stores) -> None:
    admin = add_user(stores, "admin", role=Role.ADMIN)
    other = add_user(stores, "other", role=Role.ADMIN)
    updated = update(api, token_of(admin), f"users/{other.id}", ["role"]).json()
    assert updated["role"] == "USER"


def test_password_change_is_hashed(api: UserApi, stores: Stores) -> None:
    user = add_user(stores, "alice")
    response = update(api, token_of(user), f"users/{user.id}", ["password"], password="n3w pass")
    assert response.status == 200
    stored = stores.users.get(user.id)
    assert stored is not None and verify_password("n3w pass", stored.password_hash)


def test_empty_password_change_is_refused(api: UserApi, stores: Stores) -> None:
    user = add_user(stores, "alice")
    response = update(api, token_of(user), f"users/{user.id}", ["password"], password="")
    assert error_of(response) == (400, "invalid_argument", "password is required")


def test_user_archives_and_restores_self(api: UserApi, stores: Stores) -> None:
    user = add_user(stores, "alice")
    archived = update(api, token_of(user), f"users/{user.id}", ["state"], state="ARCHIVED").json()
    assert archived["state"] == "ARCHIVED"
    admin = add_user(stores, "admin", role=Role.ADMIN)
    restored = update(
        api, token_of(admin), f"users/{user.id}", ["state"], state="STATE_UNSPECIFIED"
    )
    assert restored.json()["state"] == "NORMAL"


@pytest.mark.parametrize("path", ["name", "create_time", "update_time", "nonsense"])
def test_unknown_update_path_is_invalid_argument(api: UserApi, stores: Stores, path: str) -> None:
    user = add_user(stores, "alice")
    response = update(api, token_of(user), f"users/{user.id}", [path])
    assert error_of(response) == (400, "invalid_argument", f"invalid update path: {path}")


def test_failing_path_saves_nothing(api: UserApi, stores: Stores) -> None:
    # Given a user
    user = add_user(stores, "alice")

    # When a mask changes the email and then hits an invalid path
    response = update(
        api, token_of(user), f"users/{user.id}", ["email", "bogus"], email="changed@example.com"
    )

    # Then nothing was saved
    assert error_of(response)[1] == "invalid_argument"
    stored = stores.users.get(user.id)
    assert stored is not None and stored.email == ""


def test_empty_update_mask_is_invalid_argument(api: UserApi, stores: Stores) -> None:
    user = add_user(stores, "alice")
    response = api.connect("UpdateUser", {"user": {"name": f"users/{user.id}"}}, token_of(user))
    assert error_of(response) == (400, "invalid_argument", "update mask is empty")


def test_update_by_username_name_is_invalid_argument(api: UserApi, stores: Stores) -> None:
    user = add_user(stores, "alice")
    status, code, _ = error_of(update(api, token_of(user), "users/alice", ["email"]))
    assert (status, code) == (400, "invalid_argument")


def test_other_user_cannot_update_before_existence_is_checked(api: UserApi, stores: Stores) -> None:
    user = add_user(stores, "alice")
    response = update(api, token_of(user), "users/4242", ["email"], email="x@y.z")
    assert error_of(response) == (403, "permission_denied", "permission denied")


def test_admin_updating_missing_user_is_not_found(api: UserApi, stores: Stores) -> None:
    admin = add_user(stores, "admin", role=Role.ADMIN)
    response = update(api, token_of(admin), "users/4242", ["email"], email="x@y.z")
    assert error_of(response) == (404, "not_found", "user not found")


def test_update_user_over_rest_with_explicit_mask(api: UserApi, stores: Stores) -> None:
    user = add_user(stores, "alice")
    response = api.rest(
        "PATCH",
        f"/api/v1/users/{user.id}",
        {"displayName": "Rest Alice", "email": "r@example.com"},
        token=token_of(user),
        query="updateMask=displayName,email",
    )
    assert response.status == 200, response.body
    assert response.json()["displayName"] == "Rest Alice"


def test_update_user_over_rest_derives_the_mask_from_the_body(api: UserApi, stores: Stores) -> None:
    user = add_user(stores, "alice")
    response = api.rest(
        "PATCH", f"/api/v1/users/{user.id}", {"description": "derived"}, token=token_of(user)
    )
    assert response.status == 200, response.body
    assert response.json()["description"] == "derived"


# --- DeleteUser --------------------------------------------------------------------------------


def test_user_deletes_self(api: UserApi, stores: Stores) -> None:
    user = add_user(stores, "alice")
    response = api.connect("DeleteUser", {"name": f"users/{user.id}"}, token_of(user))
    assert response.status == 200
    assert stores.users.get(user.id) is None


def test_admin_deletes_another_user(api: UserApi, stores: Stores) -> None:
    admin = add_user(stores, "admin", role=Role.ADMIN)
    user = add_user(stores, "alice")
    response = api.rest("DELETE", f"/api/v1/users/{user.id}", token=token_of(admin))
    assert response.status == 200
    assert stores.users.get_by_username("alice") is None


def test_user_cannot_delete_another_user(api: UserApi, stores: Stores) -> None:
    user = add_user(stores, "alice")
    other = add_user(stores, "bob")
    response = api.connect("DeleteUser", {"name": f"users/{other.id}"}, token_of(user))
    assert error_of(response) == (403, "permission_denied", "permission denied")


def test_deleting_a_missing_user_is_not_found(api: UserApi, stores: Stores) -> None:
    admin = add_user(stores, "admin", role=Role.ADMIN)
    response = api.connect("DeleteUser", {"name": "users/777"}, token_of(admin))
    assert error_of(response) == (404, "not_found", "user not found")


def test_deleted_users_token_no_longer_identifies_them(api: UserApi, stores: Stores) -> None:
    user = add_user(stores, "alice")
    api.ok("DeleteUser", {"name": f"users/{user.id}"}, token_of(user))
    status, code, _ = error_of(
        api.connect("ListUserSettings", {"parent": f"users/{user.id}"}, token_of(user))
    )
    assert (status, code) == (401, "unauthenticated")
