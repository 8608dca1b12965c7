"""User webhooks: CRUD and the URL safety check (users.md §9)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from memos.domain.enums import Role
from tests.integration.user.conftest import PUBLIC_HOST, add_user, error_of, token_of

if TYPE_CHECKING:
    from memos.store import Stores
    from tests.asgi import Response
    from tests.integration.user.conftest import FakeResolver, UserApi

FORBIDDEN = "webhook URL must not resolve to a reserved or private IP address"


def create(api: UserApi, token: str, user_id: int, url: str, title: str = "hook") -> Response:
    return api.connect(
        "CreateUserWebhook",
        {"parent": f"users/{user_id}", "webhook": {"url": url, "displayName": title}},
        token,
    )


def test_create_list_update_delete_webhook(api: UserApi, stores: Stores) -> None:
    # Given a user
    user = add_user(stores, "alice")
    token = token_of(user)

    # When they create a webhook to a public host (with stray spaces)
    created = create(api, token, user.id, f"  https://{PUBLIC_HOST}/memos  ", "Notify").json()

    # Then it is stored trimmed, with a 16-hex id, and listed
    assert created["url"] == f"https://{PUBLIC_HOST}/memos"
    assert created["displayName"] == "Notify"
    webhook_id = created["name"].rsplit("/", 1)[1]
    assert created["name"] == f"users/{user.id}/webhooks/{webhook_id}"
    assert len(webhook_id) == 16 and int(webhook_id, 16) >= 0
    assert "createTime" not in created
    secret = created.pop("signingSecret")
    assert secret.startswith("whsec_")
    listed = api.ok("ListUserWebhooks", {"parent": f"users/{user.id}"}, token)
    assert listed["webhooks"] == [created]

    # When they rename it (mask display_name) and then change its URL (mask url)
    renamed = api.ok(
        "UpdateUserWebhook",
        {
            "webhook": {"name": created["name"], "displayName": "Renamed", "url": "ignored"},
            "updateMask": "displayName",
        },
        token,
    )
    moved = api.ok(
        "UpdateUserWebhook",
        {
            "webhook": {"name": created["name"], "url": f"http://{PUBLIC_HOST}/v2"},
            "updateMask": "url",
        },
        token,
    )

    # Then each update changed only its field
    assert renamed["displayName"] == "Renamed"
    assert renamed["url"] == f"https://{PUBLIC_HOST}/memos"
    assert moved == {
        "name": created["name"],
        "url": f"http://{PUBLIC_HOST}/v2",
        "displayName": "Renamed",
    }

    # When they delete it
    assert api.ok("DeleteUserWebhook", {"name": created["name"]}, token) == {}

    # Then it is gone, and deleting again is NOT_FOUND
    assert (
        api.ok("ListUserWebhooks", {"parent": f"users/{user.id}"}, token).get("webhooks", []) == []
    )
    again = api.connect("DeleteUserWebhook", {"name": created["name"]}, token)
    assert error_of(again) == (404, "not_found", "webhook not found")


def test_update_without_mask_replaces_title_always_and_url_when_given(
    api: UserApi, stores: Stores
) -> None:
    user = add_user(stores, "alice")
    created = create(api, token_of(user), user.id, f"https://{PUBLIC_HOST}/a", "Old").json()
    updated = api.ok("UpdateUserWebhook", {"webhook": {"name": created["name"]}}, token_of(user))
    assert updated["url"] == f"https://{PUBLIC_HOST}/a"
    assert "displayName" not in updated


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://127.1.2.3:8080/hook",
        "http://10.0.0.5/hook",
        "http://172.16.0.1/hook",
        "http://172.31.255.254/hook",
        "http://192.168.1.1/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/hook",
        "http://[::1]/hook",
        "http://[fd00::1]/hook",
        "http://[fd00:ec2::254]/hook",
        "http://[fe80::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
        "http://224.0.0.1/hook",
        "http://localhost/hook",
        "http://internal.example.com/hook",
    ],
)
def test_webhook_to_internal_address_is_refused(
    api: UserApi, stores: Stores, resolver: FakeResolver, url: str
) -> None:
    # Given names that resolve to loopback and private addresses
    resolver.hosts["localhost"] = ["127.0.0.1", "::1"]
    resolver.hosts["internal.example.com"] = ["93.184.216.34", "10.1.2.3"]
    user = add_user(stores, "alice")

    # When a webhook is created for the URL
    response = create(api, token_of(user), user.id, url)

    # Then it is refused and nothing is stored
    assert error_of(response) == (400, "invalid_argument", FORBIDDEN)
    assert stores.webhooks.list_for_user(user.id) == []


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("file:///etc/passwd", 'webhook URL must use http or https scheme, got "file"'),
        ("ftp://example.com/x", 'webhook URL must use http or https scheme, got "ftp"'),
        ("gopher://example.com/", 'webhook URL must use http or https scheme, got "gopher"'),
        ("", "webhook URL is required"),
        ("   ", "webhook URL is required"),
        ("http:///nohost", "invalid webhook URL: http:///nohost has no host"),
        ("not a url", "invalid webhook URL: not a url is not an absolute URL"),
        (
            "https://nowhere.invalid/x",
            "webhook URL hostname could not be resolved: nowhere.invalid",
        ),
    ],
)
def test_bad_webhook_url_is_invalid_argument(
    api: UserApi, stores: Stores, url: str, message: str
) -> None:
    user = add_user(stores, "alice")
    assert error_of(create(api, token_of(user), user.id, url)) == (400, "invalid_argument", message)


def test_update_to_internal_address_is_refused(api: UserApi, stores: Stores) -> None:
    user = add_user(stores, "alice")
    created = create(api, token_of(user), user.id, f"https://{PUBLIC_HOST}/a").json()
    response = api.connect(
        "UpdateUserWebhook",
        {"webhook": {"name": created["name"], "url": "http://10.0.0.1/"}, "updateMask": "url"},
        token_of(user),
    )
    assert error_of(response) == (400, "invalid_argument", FORBIDDEN)
    [stored] = stores.webhooks.list_for_user(user.id)
    assert stored.url == f"https://{PUBLIC_HOST}/a"


def test_update_unknown_webhook_is_not_found(api: UserApi, stores: Stores) -> None:
    user = add_user(stores, "alice")
    response = api.connect(
        "UpdateUserWebhook",
        {"webhook": {"name": f"users/{user.id}/webhooks/ffffffffffffffff", "displayName": "x"}},
        token_of(user),
    )
    assert error_of(response) == (404, "not_found", "webhook not found")


def test_update_without_webhook_is_invalid_argument(api: UserApi, stores: Stores) -> None:
    user = add_user(stores, "alice")
    response = api.connect("UpdateUserWebhook", {}, token_of(user))
    assert error_of(response) == (400, "invalid_argument", "webhook is required")


def test_malformed_webhook_name_is_invalid_argument(api: UserApi, stores: Stores) -> None:
    user = add_user(stores, "alice")
    status, code, message = error_of(
        api.connect("DeleteUserWebhook", {"name": "users/alice/webhooks/1"}, token_of(user))
    )
    assert (status, code) == (400, "invalid_argument")
    assert message.startswith("invalid webhook name")


def test_admin_manages_other_users_webhooks(api: UserApi, stores: Stores) -> None:
    user = add_user(stores, "alice")
    admin = add_user(stores, "admin", role=Role.ADMIN)
    created = create(api, token_of(admin), user.id, f"https://{PUBLIC_HOST}/x")
    assert created.status == 200, created.body
    listed = api.ok("ListUserWebhooks", {"parent": f"users/{user.id}"}, token_of(admin))
    assert len(listed["webhooks"]) == 1


def test_admin_cannot_create_webhook_for_missing_user(api: UserApi, stores: Stores) -> None:
    admin = add_user(stores, "admin", role=Role.ADMIN)
    response = create(api, token_of(admin), 999, f"https://{PUBLIC_HOST}/x")
    assert error_of(response) == (404, "not_found", "user not found")


def test_other_users_cannot_touch_webhooks(api: UserApi, stores: Stores) -> None:
    user = add_user(stores, "alice")
    other = add_user(stores, "bob")
    created = create(api, token_of(user), user.id, f"https://{PUBLIC_HOST}/x").json()
    responses = [
        api.connect("ListUserWebhooks", {"parent": f"users/{user.id}"}, token_of(other)),
        create(api, token_of(other), user.id, f"https://{PUBLIC_HOST}/y"),
        api.connect("UpdateUserWebhook", {"webhook": {"name": created["name"]}}, token_of(other)),
        api.connect("DeleteUserWebhook", {"name": created["name"]}, token_of(other)),
    ]
    assert [error_of(response)[:2] for response in responses] == [(403, "permission_denied")] * 4


def test_webhook_crud_over_rest(api: UserApi, stores: Stores) -> None:
    user = add_user(stores, "alice")
    created = api.rest(
        "POST",
        f"/api/v1/users/{user.id}/webhooks",
        {"url": f"https://{PUBLIC_HOST}/r", "displayName": "Rest"},
        token=token_of(user),
    )
    assert created.status == 200, created.body
    name = created.json()["name"]
    patched = api.rest("PATCH", f"/api/v1/{name}", {"displayName": "Patched"}, token=token_of(user))
    assert patched.json()["displayName"] == "Patched"
    assert api.rest("DELETE", f"/api/v1/{name}", token=token_of(user)).status == 200


def test_signing_secret_is_shown_at_creation_and_rotated_by_its_mask_path(
    api: UserApi, stores: Stores
) -> None:
    # Given a user's new webhook, whose create answer carries its signing secret
    user = add_user(stores, "sig")
    token = token_of(user)
    created = create(api, token, user.id, f"https://{PUBLIC_HOST}/hook").json()
    first = created["signingSecret"]
    webhook_id = created["name"].rsplit("/", 1)[1]

    # When it is read back, or updated without naming the secret
    listed = api.ok("ListUserWebhooks", {"parent": f"users/{user.id}"}, token)
    renamed = api.ok(
        "UpdateUserWebhook",
        {"webhook": {"name": created["name"], "displayName": "x"}, "updateMask": "displayName"},
        token,
    )

    # Then the secret is not shown again and stays the same
    assert "signingSecret" not in listed["webhooks"][0]
    assert "signingSecret" not in renamed
    assert stores.webhooks.get(user.id, webhook_id).signing_secret == first  # type: ignore[union-attr]

    # When the owner rotates it with the mask path signing_secret
    rotated = api.ok(
        "UpdateUserWebhook",
        {"webhook": {"name": created["name"]}, "updateMask": "signingSecret"},
        token,
    )

    # Then the answer holds a new secret, which is the one stored
    assert rotated["signingSecret"].startswith("whsec_")
    assert rotated["signingSecret"] != first
    stored = stores.webhooks.get(user.id, webhook_id)
    assert stored is not None and stored.signing_secret == rotated["signingSecret"]


def test_rest_answers_carry_the_secret_only_where_it_is_shown(api: UserApi, stores: Stores) -> None:
    # Given a webhook created over REST
    user = add_user(stores, "rest")
    token = token_of(user)
    created = api.rest(
        "POST",
        f"/api/v1/users/{user.id}/webhooks",
        {"url": f"https://{PUBLIC_HOST}/r", "displayName": "r"},
        token,
    ).json()

    # When it is listed over REST
    listed = api.rest("GET", f"/api/v1/users/{user.id}/webhooks", token=token).json()

    # Then the create answer has the secret and the listed webhook has no such field at all
    assert created["signingSecret"].startswith("whsec_")
    assert [webhook["name"] for webhook in listed["webhooks"]] == [created["name"]]
    assert "signingSecret" not in listed["webhooks"][0]
