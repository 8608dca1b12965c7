"""UpdateIdentityProvider and DeleteIdentityProvider (idp.md §3.4, §3.5; Memos'
idp_service_test.go): ADMIN only, the mask's three paths, NOT_FOUND for unknown ids."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from google.protobuf import json_format

from memos.api.v1 import idp_service_pb2 as pb
from memos.errors import ErrorKind
from tests.integration.idp.conftest import (
    NO_CONTEXT,
    SECRET,
    call_directly,
    create,
    oauth2_provider,
    secret_of,
)
from tests.integration.user.conftest import add_user, error_of, token_of

if TYPE_CHECKING:
    from functions.idp.service import IdentityProviderService
    from memos.store import Stores
    from memos.store.users import User
    from tests.asgi import Response
    from tests.integration.idp.conftest import IdpApi

NOT_FOUND = (404, "not_found", "identity provider not found")


def update(api: IdpApi, admin: User, provider: dict[str, Any], mask: str | None) -> Response:
    body: dict[str, Any] = {"identityProvider": provider}
    if mask is not None:
        body["updateMask"] = mask
    return api.connect("UpdateIdentityProvider", body, token_of(admin))


def get(api: IdpApi, admin: User, name: str) -> Any:
    return api.ok("GetIdentityProvider", {"name": name}, token_of(admin))


def test_update_title_filter_and_config(api: IdpApi, admin: User) -> None:
    # Given a provider
    created = create(api, admin)

    # When an ADMIN updates title, identifier filter and config (a new client)
    sent = {
        **oauth2_provider("Updated Provider", clientId="updated-client"),
        "name": created["name"],
        "identifierFilter": "test@example.com",
    }
    response = update(api, admin, sent, "title,identifierFilter,config")

    # Then the reply and the stored provider show all three changes
    assert response.status == 200, response.body
    updated = response.json()
    assert updated["title"] == "Updated Provider"
    assert updated["identifierFilter"] == "test@example.com"
    assert updated["config"]["oauth2Config"]["clientId"] == "updated-client"
    assert updated == sent
    assert get(api, admin, created["name"]) == sent


def test_update_applies_only_the_masked_paths(api: IdpApi, admin: User) -> None:
    # Given a provider
    created = create(api, admin)

    # When only the title is masked, though a filter and another client are sent
    sent = {
        **oauth2_provider("Renamed", clientId="other"),
        "name": created["name"],
        "identifierFilter": "x",
    }
    updated = update(api, admin, sent, "title").json()

    # Then only the title changed
    assert updated == {**created, "title": "Renamed"}


def test_config_replaces_the_whole_oauth2_config(api: IdpApi, admin: User) -> None:
    # Given a provider with scopes and a full field mapping
    created = create(api, admin)

    # When its config is replaced by one with fewer values
    config = {"clientId": "c2", "clientSecret": "s2", "fieldMapping": {"identifier": "sub"}}
    sent = {"name": created["name"], "type": "OAUTH2", "config": {"oauth2Config": config}}
    updated = update(api, admin, sent, "config").json()

    # Then nothing of the old config is left
    assert updated["config"] == {"oauth2Config": config}
    assert get(api, admin, created["name"])["config"] == {"oauth2Config": config}


def test_blank_secret_in_config_erases_the_stored_secret(api: IdpApi, admin: User) -> None:
    # Given a provider with a secret, as a USER would read it (secret blanked)
    created = create(api, admin)
    redacted = oauth2_provider(clientSecret="")

    # When an ADMIN sends that config back
    update(api, admin, {**redacted, "name": created["name"]}, "config")

    # Then the secret is gone, as in Memos (the web app always sends the secret it read)
    assert secret_of(get(api, admin, created["name"])) == ""


def test_type_never_changes_and_config_needs_an_oauth2_request(api: IdpApi, admin: User) -> None:
    # Given an OAUTH2 provider
    created = create(api, admin)

    # When type is masked, and config is sent with the type left unspecified
    sent = {**oauth2_provider(clientId="new"), "name": created["name"], "type": "TYPE_UNSPECIFIED"}
    retyped = update(api, admin, sent, "type,config").json()

    # Then neither changed: the request's type only says how to read config
    assert retyped == created


def test_config_of_a_provider_without_oauth2_stays_empty(api: IdpApi, admin: User) -> None:
    # Given a TYPE_UNSPECIFIED provider
    created = create(api, admin, {"type": "TYPE_UNSPECIFIED", "title": "Plain"})

    # When an OAUTH2 config is sent for it
    updated = update(api, admin, {**oauth2_provider("Plain"), "name": created["name"]}, "config")

    # Then it still has none (Memos would store one that is never read)
    assert updated.json() == created


def test_mask_of_only_ignored_paths_returns_the_provider_unchanged(
    api: IdpApi, admin: User
) -> None:
    # Given a provider
    created = create(api, admin)

    # When the mask holds only paths that aren't updatable (Memos: INTERNAL)
    sent = {**oauth2_provider("Ignored"), "name": created["name"]}
    response = update(api, admin, sent, "name,type,config.oauth2Config.clientId")

    # Then nothing changes and the provider is returned
    assert response.status == 200, response.body
    assert response.json() == created == get(api, admin, created["name"])


def test_update_without_mask_is_invalid_argument(api: IdpApi, admin: User) -> None:
    # Given a provider
    create(api, admin)

    # When it is updated without a mask, or with an empty one
    missing = update(api, admin, {"name": "identity-providers/1", "title": "x"}, None)
    empty = update(api, admin, {"name": "identity-providers/1", "title": "x"}, "")

    # Then both are INVALID_ARGUMENT
    expected = (400, "invalid_argument", "update_mask is required")
    assert error_of(missing) == error_of(empty) == expected


def test_update_invalid_name_is_invalid_argument(api: IdpApi, admin: User) -> None:
    # Given a name that isn't identity-providers/{id}
    # When it is updated with mask title
    response = update(api, admin, {"name": "invalid-name", "title": "x"}, "title")

    # Then it is INVALID_ARGUMENT
    status, code, message = error_of(response)
    assert (status, code) == (400, "invalid_argument")
    assert message.startswith("invalid identity provider name")


def test_update_unknown_provider_is_not_found(api: IdpApi, admin: User) -> None:
    # Given no provider 999
    # When it is updated (Memos: INTERNAL)
    response = update(api, admin, {"name": "identity-providers/999", "title": "x"}, "title")

    # Then it is NOT_FOUND and nothing is created
    assert error_of(response) == NOT_FOUND
    assert api.providers() == []


def test_update_values_are_checked(api: IdpApi, admin: User) -> None:
    # Given a provider
    created = create(api, admin)

    # When a bad filter, a long title and a bad URL are sent
    bad_filter = update(
        api, admin, {"name": created["name"], "identifierFilter": "("}, "identifierFilter"
    )
    long_title = update(api, admin, {"name": created["name"], "title": "t" * 257}, "title")
    bad_url = update(
        api, admin, {**oauth2_provider(tokenUrl="file:///etc"), "name": created["name"]}, "config"
    )
    no_mapping = {"name": created["name"], "type": "OAUTH2", "config": {"oauth2Config": {}}}
    missing_mapping = update(api, admin, no_mapping, "config")

    # Then each is INVALID_ARGUMENT naming the field, and the provider is unchanged
    assert error_of(bad_filter)[2].startswith("identifier_filter is not a valid regular expression")
    assert error_of(long_title)[2] == "title is too long (max 256 characters)"
    assert error_of(bad_url)[2] == "config.oauth2_config.token_url must be an http or https URL"
    assert error_of(missing_mapping)[2] == "config.oauth2_config.field_mapping is required"
    assert get(api, admin, created["name"]) == created


@pytest.mark.parametrize(
    ("method", "request_"),
    [
        (
            "update_identity_provider",
            pb.UpdateIdentityProviderRequest(
                identity_provider=pb.IdentityProvider(name="identity-providers/1", title="x"),
                update_mask={"paths": ["title"]},
            ),
        ),
        ("delete_identity_provider", pb.DeleteIdentityProviderRequest(name="identity-providers/1")),
    ],
)
def test_writes_need_a_caller_and_an_admin(
    api: IdpApi,
    admin: User,
    member: User,
    service: IdentityProviderService,
    method: str,
    request_: Any,
) -> None:
    # Given a provider
    created = create(api, admin)
    procedure = (
        "UpdateIdentityProvider" if method.startswith("update") else "DeleteIdentityProvider"
    )
    body = json_format.MessageToDict(request_)

    # When no caller, then a USER, asks for the write
    error = call_directly(getattr(service, method)(request_, NO_CONTEXT))
    denied = api.connect(procedure, body, token_of(member))

    # Then it is UNAUTHENTICATED, then PERMISSION_DENIED, and the provider is unchanged
    assert (error.kind, error.message) == (ErrorKind.UNAUTHENTICATED, "user not authenticated")
    assert error_of(denied) == (403, "permission_denied", "permission denied")
    assert api.providers(token_of(admin)) == [created]


def test_rest_patch_with_update_mask_config_replaces_the_config(api: IdpApi, admin: User) -> None:
    # Given a provider
    created = create(api, admin)

    # When its config is replaced over REST with updateMask=config, as Memos' REST API requires
    sent = oauth2_provider("Ignored title", clientId="rest-client")
    response = api.rest(
        "PATCH", f"/api/v1/{created['name']}", sent, token_of(admin), query="updateMask=config"
    )

    # Then only the config changed
    assert response.status == 200, response.body
    assert response.json()["title"] == created["title"]
    assert response.json()["config"]["oauth2Config"]["clientId"] == "rest-client"
    assert get(api, admin, created["name"])["config"]["oauth2Config"]["clientId"] == "rest-client"


def test_rest_patch_without_mask_updates_the_body_keys(api: IdpApi, admin: User) -> None:
    # Given a provider
    created = create(api, admin)

    # When a REST PATCH sends a title and no mask
    response = api.rest("PATCH", f"/api/v1/{created['name']}", {"title": "New"}, token_of(admin))

    # Then the mask is the body's keys: the title changes, nothing else
    assert response.status == 200, response.body
    assert get(api, admin, created["name"]) == {**created, "title": "New"}


def test_connect_binary_update(api: IdpApi, admin: User) -> None:
    # Given a provider
    created = create(api, admin)

    # When its filter is updated in protobuf binary
    request = pb.UpdateIdentityProviderRequest(
        identity_provider=pb.IdentityProvider(name=created["name"], identifier_filter="^admin@"),
        update_mask={"paths": ["identifier_filter"]},
    )
    response = api.connect_binary("UpdateIdentityProvider", request, token_of(admin))

    # Then the binary reply shows it, with the secret
    assert response.status == 200, response.body
    updated = pb.IdentityProvider.FromString(response.body)
    assert updated.identifier_filter == "^admin@"
    assert updated.config.oauth2_config.client_secret == SECRET


def test_admin_deletes_a_provider(api: IdpApi, admin: User) -> None:
    # Given two providers
    first = create(api, admin, oauth2_provider("First"))
    second = create(api, admin, oauth2_provider("Second"))

    # When an ADMIN deletes the first
    deleted = api.ok("DeleteIdentityProvider", {"name": first["name"]}, token_of(admin))

    # Then it is gone: Get is NOT_FOUND and the list holds only the second
    assert deleted == {}
    response = api.connect("GetIdentityProvider", {"name": first["name"]}, token_of(admin))
    assert error_of(response) == NOT_FOUND
    assert api.providers(token_of(admin)) == [second]


def test_delete_leaves_users_alone(api: IdpApi, admin: User, stores: Stores) -> None:
    # Given a provider and a user who might have signed in through it
    created = create(api, admin)
    user = add_user(stores, "sso-user")

    # When the provider is deleted over REST
    response = api.rest("DELETE", f"/api/v1/{created['name']}", token=token_of(admin))

    # Then the user is still there
    assert response.status == 200, response.body
    assert stores.users.get(user.id) == user


def test_delete_invalid_name_is_invalid_argument(api: IdpApi, admin: User) -> None:
    # Given a name that isn't identity-providers/{id}
    # When an ADMIN deletes it
    response = api.connect("DeleteIdentityProvider", {"name": "invalid-name"}, token_of(admin))

    # Then it is INVALID_ARGUMENT
    status, code, message = error_of(response)
    assert (status, code) == (400, "invalid_argument")
    assert message.startswith("invalid identity provider name")


def test_delete_unknown_provider_is_not_found(api: IdpApi, admin: User) -> None:
    # Given no provider 999
    # When an ADMIN deletes it, over Connect and over REST
    connect = api.connect(
        "DeleteIdentityProvider", {"name": "identity-providers/999"}, token_of(admin)
    )
    rest = api.rest("DELETE", "/api/v1/identity-providers/999", token=token_of(admin))

    # Then both are NOT_FOUND
    assert error_of(connect) == NOT_FOUND
    assert (rest.status, rest.json()["code"]) == (404, 5)
