"""User settings: GENERAL and WEBHOOKS through Get/Update/ListUserSettings (users.md §6)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from memos.domain.enums import Role
from tests.integration.user.conftest import add_user, error_of, token_of

if TYPE_CHECKING:
    from memos.store import Stores
    from tests.integration.user.conftest import UserApi


def test_general_setting_defaults_when_nothing_is_stored(api: UserApi, stores: Stores) -> None:
    # Given a user who never saved preferences
    user = add_user(stores, "alice")

    # When they read their GENERAL setting
    setting = api.ok(
        "GetUserSetting", {"name": f"users/{user.id}/settings/GENERAL"}, token_of(user)
    )

    # Then the defaults come back under the setting's name
    assert setting == {
        "name": f"users/{user.id}/settings/GENERAL",
        "generalSetting": {"locale": "en", "memoVisibility": "PRIVATE"},
    }


def test_update_general_setting_copies_masked_fields_only(api: UserApi, stores: Stores) -> None:
    # Given a user
    user = add_user(stores, "alice")
    name = f"users/{user.id}/settings/GENERAL"

    # When they update locale and theme (also sending a visibility, not in the mask)
    updated = api.ok(
        "UpdateUserSetting",
        {
            "setting": {
                "name": name,
                "generalSetting": {"locale": "zh", "theme": "dark", "memoVisibility": "PUBLIC"},
            },
            "updateMask": "locale,theme",
        },
        token_of(user),
    )

    # Then the masked fields are saved on an empty base (not the defaults), as Memos does
    assert updated == {"name": name, "generalSetting": {"locale": "zh", "theme": "dark"}}
    again = api.ok("GetUserSetting", {"name": name}, token_of(user))
    assert again == updated


def test_updating_over_a_stored_setting_keeps_one_value(api: UserApi, stores: Stores) -> None:
    user = add_user(stores, "alice")
    name = f"users/{user.id}/settings/GENERAL"
    for locale in ("zh", "fr"):
        api.ok(
            "UpdateUserSetting",
            {
                "setting": {"name": name, "generalSetting": {"locale": locale}},
                "updateMask": "locale",
            },
            token_of(user),
        )
    assert [item.key for item in stores.user_settings.list_for_user(user.id)] == ["GENERAL"]
    assert (
        api.ok("GetUserSetting", {"name": name}, token_of(user))["generalSetting"]["locale"] == "fr"
    )


def test_update_general_setting_over_rest_with_derived_mask(api: UserApi, stores: Stores) -> None:
    # Given a user
    user = add_user(stores, "alice")

    # When they PATCH the setting over REST without an explicit mask
    response = api.rest(
        "PATCH",
        f"/api/v1/users/{user.id}/settings/GENERAL",
        {"generalSetting": {"locale": "ja", "memoVisibility": "PROTECTED", "theme": "paper"}},
        token=token_of(user),
    )

    # Then the body's general setting is saved (the derived path general_setting is understood)
    assert response.status == 200, response.body
    assert response.json()["generalSetting"] == {
        "locale": "ja",
        "memoVisibility": "PROTECTED",
        "theme": "paper",
    }


def test_webhooks_setting_lists_the_users_webhooks(api: UserApi, stores: Stores) -> None:
    # Given a user with one webhook
    user = add_user(stores, "alice")
    stores.webhooks.create(
        user.id, webhook_id="0123456789abcdef", title="CI", url="https://ci.example.com/h"
    )

    # When they read their WEBHOOKS setting
    setting = api.ok(
        "GetUserSetting", {"name": f"users/{user.id}/settings/WEBHOOKS"}, token_of(user)
    )

    # Then the webhook is listed
    assert setting["webhooksSetting"]["webhooks"] == [
        {
            "name": f"users/{user.id}/webhooks/0123456789abcdef",
            "url": "https://ci.example.com/h",
            "displayName": "CI",
        }
    ]


def test_webhooks_setting_cannot_be_updated(api: UserApi, stores: Stores) -> None:
    user = add_user(stores, "alice")
    response = api.connect(
        "UpdateUserSetting",
        {
            "setting": {"name": f"users/{user.id}/settings/WEBHOOKS", "webhooksSetting": {}},
            "updateMask": "webhooks",
        },
        token_of(user),
    )
    assert error_of(response) == (
        400,
        "invalid_argument",
        "setting type WEBHOOKS should not be updated via UpdateUserSetting",
    )


def test_update_setting_without_mask_is_invalid_argument(api: UserApi, stores: Stores) -> None:
    user = add_user(stores, "alice")
    response = api.connect(
        "UpdateUserSetting",
        {"setting": {"name": f"users/{user.id}/settings/GENERAL", "generalSetting": {}}},
        token_of(user),
    )
    assert error_of(response) == (400, "invalid_argument", "update mask is empty")


def test_update_setting_without_setting_is_invalid_argument(api: UserApi, stores: Stores) -> None:
    user = add_user(stores, "alice")
    response = api.connect("UpdateUserSetting", {"updateMask": "locale"}, token_of(user))
    assert error_of(response) == (400, "invalid_argument", "setting is required")


@pytest.mark.parametrize("key", ["general", "SHORTCUTS", "PERSONAL_ACCESS_TOKENS", "unknown"])
def test_unknown_setting_key_is_invalid_argument(api: UserApi, stores: Stores, key: str) -> None:
    user = add_user(stores, "alice")
    response = api.connect(
        "GetUserSetting", {"name": f"users/{user.id}/settings/{key}"}, token_of(user)
    )
    assert error_of(response) == (400, "invalid_argument", f"invalid setting key: {key}")


@pytest.mark.parametrize(
    "name", ["users/1/settings", "users/x/settings/GENERAL", "settings/GENERAL"]
)
def test_malformed_setting_name_is_invalid_argument(
    api: UserApi, stores: Stores, name: str
) -> None:
    user = add_user(stores, "alice")
    status, code, message = error_of(api.connect("GetUserSetting", {"name": name}, token_of(user)))
    assert (status, code) == (400, "invalid_argument")
    assert message.startswith("invalid resource name")


def test_list_user_settings_emits_general_then_webhooks(api: UserApi, stores: Stores) -> None:
    # Given a user with a stored GENERAL setting and other stored keys
    user = add_user(stores, "alice")
    stores.user_settings.upsert(
        user.id, "GENERAL", {"locale": "ja", "memo_visibility": "PUBLIC", "theme": ""}
    )
    stores.user_settings.upsert(user.id, "SHORTCUTS", {"shortcuts": []})

    # When they list their settings
    listed = api.ok("ListUserSettings", {"parent": f"users/{user.id}"}, token_of(user))

    # Then exactly GENERAL then WEBHOOKS come back; internal keys never show
    assert [setting["name"] for setting in listed["settings"]] == [
        f"users/{user.id}/settings/GENERAL",
        f"users/{user.id}/settings/WEBHOOKS",
    ]
    assert listed["settings"][0]["generalSetting"]["locale"] == "ja"
    assert listed["totalSize"] == 2


def test_settings_are_self_only_even_for_admins(api: UserApi, stores: Stores) -> None:
    # Given an ADMIN and a user
    admin = add_user(stores, "admin", role=Role.ADMIN)
    user = add_user(stores, "alice")

    # When the ADMIN reads, lists or updates the user's settings
    name = f"users/{user.id}/settings/GENERAL"
    responses = [
        api.connect("GetUserSetting", {"name": name}, token_of(admin)),
        api.connect("ListUserSettings", {"parent": f"users/{user.id}"}, token_of(admin)),
        api.connect(
            "UpdateUserSetting",
            {"setting": {"name": name, "generalSetting": {"locale": "x"}}, "updateMask": "locale"},
            token_of(admin),
        ),
    ]

    # Then every call is PERMISSION_DENIED
    assert [error_of(response)[1] for response in responses] == ["permission_denied"] * 3


def test_settings_require_authentication(api: UserApi) -> None:
    response = api.connect("GetUserSetting", {"name": "users/1/settings/GENERAL"})
    assert error_of(response)[:2] == (401, "unauthenticated")
