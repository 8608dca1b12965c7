"""CreateIdentityProvider (idp.md §3.3; Memos' idp_service_test.go): ADMIN only, ids generated,
the reply not redacted, and the bounds this project adds."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

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
from tests.integration.user.conftest import error_of, token_of

if TYPE_CHECKING:
    from functions.idp.service import IdentityProviderService
    from memos.store import Stores
    from memos.store.users import User
    from tests.integration.idp.conftest import IdpApi


def test_admin_creates_an_oauth2_provider(api: IdpApi, admin: User) -> None:
    # Given an ADMIN and a provider like Memos' test sends
    sent = oauth2_provider("Test OAuth2 Provider")

    # When the ADMIN creates it
    created = create(api, admin, sent)

    # Then the reply has a generated name and everything sent, the secret included
    assert created["name"].startswith("identity-providers/")
    assert created["title"] == "Test OAuth2 Provider"
    assert created["type"] == "OAUTH2"
    assert created["config"]["oauth2Config"]["clientId"] == "test-client-id"
    assert created == {**sent, "name": created["name"]}
    assert secret_of(created) == SECRET


def test_created_provider_is_stored_with_its_config(
    api: IdpApi, admin: User, stores: Stores
) -> None:
    # Given a provider with an identifier filter
    sent = {**oauth2_provider("GitHub"), "identifierFilter": "^admin@"}

    # When it is created
    created = create(api, admin, sent)

    # Then the store holds the same provider under the generated id
    stored = stores.identity_providers.get(int(created["name"].rsplit("/", 1)[1]))
    assert stored is not None
    assert (stored.title, stored.type, stored.identifier_filter) == ("GitHub", "OAUTH2", "^admin@")
    assert stored.oauth2 is not None
    assert stored.oauth2.client_secret == SECRET
    assert stored.oauth2.scopes == ("openid", "profile", "email")
    assert stored.oauth2.field_mapping.avatar_url == "avatar_url"


def test_member_create_is_permission_denied(api: IdpApi, member: User) -> None:
    # Given a signed-in USER
    # When they create a provider
    response = api.connect(
        "CreateIdentityProvider", {"identityProvider": oauth2_provider()}, token_of(member)
    )

    # Then it is refused and nothing is stored
    assert error_of(response) == (403, "permission_denied", "permission denied")
    assert api.providers() == []


def test_anonymous_create_is_user_not_authenticated(
    service: IdentityProviderService, api: IdpApi
) -> None:
    # Given no caller at all (the service called directly, as in Memos' test)
    request = pb.CreateIdentityProviderRequest(identity_provider=pb.IdentityProvider(title="x"))

    # When the provider is created
    error = call_directly(service.create_identity_provider(request, NO_CONTEXT))

    # Then the service refuses it as unauthenticated, and the app's gate refuses earlier
    assert (error.kind, error.message) == (ErrorKind.UNAUTHENTICATED, "user not authenticated")
    response = api.connect("CreateIdentityProvider", {"identityProvider": oauth2_provider()})
    assert error_of(response) == (401, "unauthenticated", "authentication required")


def test_requested_id_and_name_are_ignored(api: IdpApi, admin: User) -> None:
    # Given a provider 1 already stored
    create(api, admin)

    # When another is created asking for id 1 and naming itself identity-providers/1
    body = {
        "identityProvider": {**oauth2_provider("Second"), "name": "identity-providers/1"},
        "identityProviderId": "1",
    }
    second = api.ok("CreateIdentityProvider", body, token_of(admin))

    # Then it gets a new id and the first one is untouched
    assert second["name"] == "identity-providers/2"
    assert [p["title"] for p in api.providers()] == ["Test OAuth2 Provider", "Second"]


def test_values_memos_accepts_unchecked_stay_accepted(api: IdpApi, admin: User) -> None:
    # Given a provider with an empty title, empty URLs, no secret and an empty mapping
    empty = {"type": "OAUTH2", "title": "", "config": {"oauth2Config": {"fieldMapping": {}}}}

    # When it is created
    created = create(api, admin, empty)

    # Then it is stored as sent: sign-in is where missing values are reported
    assert created == {"name": "identity-providers/1", "type": "OAUTH2", "config": empty["config"]}


def test_unspecified_type_is_stored_without_config(api: IdpApi, admin: User) -> None:
    # Given a provider of type TYPE_UNSPECIFIED that still sends an OAuth2 config
    sent = {**oauth2_provider("Plain"), "type": "TYPE_UNSPECIFIED"}

    # When it is created
    created = create(api, admin, sent)

    # Then the config is dropped, as Memos does
    assert created == {"name": "identity-providers/1", "title": "Plain"}


def test_connect_binary_create_returns_the_unredacted_provider(api: IdpApi, admin: User) -> None:
    # Given a provider in protobuf binary
    provider = pb.IdentityProvider(type=pb.IdentityProvider.OAUTH2, title="Binary")
    provider.config.oauth2_config.client_secret = SECRET
    provider.config.oauth2_config.field_mapping.identifier = "sub"

    # When an ADMIN creates it
    request = pb.CreateIdentityProviderRequest(identity_provider=provider)
    response = api.connect_binary("CreateIdentityProvider", request, token_of(admin))

    # Then the binary reply carries the secret
    assert response.status == 200, response.body
    created = pb.IdentityProvider.FromString(response.body)
    assert created.name == "identity-providers/1"
    assert created.config.oauth2_config.client_secret == SECRET


def test_rest_create_takes_the_provider_as_body(api: IdpApi, admin: User) -> None:
    # Given the REST route of CreateIdentityProvider
    # When an ADMIN posts a provider
    response = api.rest("POST", "/api/v1/identity-providers", oauth2_provider(), token_of(admin))

    # Then it is created and returned with its secret
    assert response.status == 200, response.body
    assert response.json()["name"] == "identity-providers/1"
    assert secret_of(response.json()) == SECRET


def _oauth2_without(key: str) -> dict[str, Any]:
    provider = oauth2_provider()
    if key == "config":
        del provider["config"]
    elif key == "oauth2Config":
        provider["config"] = {}
    else:
        del provider["config"]["oauth2Config"][key]
    return provider


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("config", "config.oauth2_config is required for an OAUTH2 identity provider"),
        ("oauth2Config", "config.oauth2_config is required for an OAUTH2 identity provider"),
        ("fieldMapping", "config.oauth2_config.field_mapping is required"),
    ],
)
def test_oauth2_provider_without_config_is_invalid_argument(
    api: IdpApi, admin: User, missing: str, message: str
) -> None:
    # Given an OAUTH2 provider missing its config, or its field mapping (Memos: INTERNAL)
    body = {"identityProvider": _oauth2_without(missing)}

    # When an ADMIN creates it
    response = api.connect("CreateIdentityProvider", body, token_of(admin))

    # Then it is INVALID_ARGUMENT and nothing is stored
    assert error_of(response) == (400, "invalid_argument", message)
    assert api.providers() == []


def test_create_without_a_provider_is_invalid_argument(api: IdpApi, admin: User) -> None:
    # Given a request without identity_provider (Memos: INTERNAL)
    # When an ADMIN sends it
    response = api.connect("CreateIdentityProvider", {}, token_of(admin))

    # Then it is INVALID_ARGUMENT
    assert error_of(response) == (400, "invalid_argument", "identity_provider is required")


def test_unknown_type_number_is_invalid_argument(api: IdpApi, admin: User) -> None:
    # Given a binary request whose type is a number the API doesn't define
    request = pb.CreateIdentityProviderRequest(identity_provider=pb.IdentityProvider(title="t"))
    request.identity_provider.type = 7  # type: ignore[assignment]

    # When an ADMIN sends it
    response = api.connect_binary("CreateIdentityProvider", request, token_of(admin))

    # Then it is INVALID_ARGUMENT naming the type
    assert error_of(response) == (400, "invalid_argument", "invalid type: 7")


LONG_URL = "https://example.com/" + "a" * 2029  # 2049 characters
CONFIG = "config.oauth2_config"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": "t" * 257}, "title is too long (max 256 characters)"),
        ({"identifierFilter": "x" * 513}, "identifier_filter is too long (max 512 characters)"),
        ({"authUrl": LONG_URL}, f"{CONFIG}.auth_url is too long (max 2048 characters)"),
        (
            {"tokenUrl": "ftp://example.com/token"},
            f"{CONFIG}.token_url must be an http or https URL",
        ),
        ({"userInfoUrl": "example.com/me"}, f"{CONFIG}.user_info_url must be an http or https URL"),
        ({"authUrl": "https:///no-host"}, f"{CONFIG}.auth_url must be an http or https URL"),
        ({"authUrl": "https://a b.com/"}, f"{CONFIG}.auth_url must be an http or https URL"),
        ({"tokenUrl": "https://[::1/x"}, f"{CONFIG}.token_url must be an http or https URL"),
        ({"tokenUrl": "https://h:99999/x"}, f"{CONFIG}.token_url must be an http or https URL"),
        ({"clientId": "c" * 4097}, f"{CONFIG}.client_id is too long (max 4096 characters)"),
        ({"clientSecret": "s" * 4097}, f"{CONFIG}.client_secret is too long (max 4096 characters)"),
        ({"scopes": ["s"] * 101}, f"{CONFIG}.scopes: too many scopes (max 100)"),
        ({"scopes": ["s" * 257]}, f"{CONFIG}.scopes is too long (max 256 characters)"),
        (
            {"fieldMapping": {"identifier": "i" * 257}},
            f"{CONFIG}.field_mapping.identifier is too long (max 256 characters)",
        ),
        (
            {"fieldMapping": {"avatarUrl": "a" * 257}},
            f"{CONFIG}.field_mapping.avatar_url is too long (max 256 characters)",
        ),
    ],
)
def test_values_beyond_the_bounds_are_invalid_argument_naming_the_field(
    api: IdpApi, admin: User, change: dict[str, Any], message: str
) -> None:
    # Given a provider with one value out of bounds
    provider = oauth2_provider()
    for key, value in change.items():
        target = provider if key in {"title", "identifierFilter"} else provider["config"]
        target = target if target is provider else target["oauth2Config"]
        target[key] = value

    # When an ADMIN creates it
    response = api.connect(
        "CreateIdentityProvider", {"identityProvider": provider}, token_of(admin)
    )

    # Then it is INVALID_ARGUMENT naming the field, and nothing is stored
    assert error_of(response) == (400, "invalid_argument", message)
    assert api.providers() == []


@pytest.mark.parametrize(
    "pattern",
    ["(", "[a-", "a{2,1}", "a**", "\\", "(?<=a+)b", r"(a)\1", r"[\p{L}\p{N}]{1000}"],
    ids=["open", "class", "range", "repeat", "escape", "lookbehind", "backref", "too-large"],
)
def test_identifier_filter_that_does_not_compile_is_invalid_argument(
    api: IdpApi, admin: User, pattern: str
) -> None:
    # Given a filter that isn't RE2, or needs too much memory (Memos stores it, and every
    # sign-in through the provider fails)
    provider = {**oauth2_provider(), "identifierFilter": pattern}

    # When an ADMIN creates the provider
    response = api.connect(
        "CreateIdentityProvider", {"identityProvider": provider}, token_of(admin)
    )

    # Then it is INVALID_ARGUMENT naming the field
    status, code, message = error_of(response)
    assert (status, code) == (400, "invalid_argument")
    assert message.startswith("identifier_filter is not a valid regular expression: ")


@pytest.mark.parametrize("pattern", [r"^\pL+@example\.com$", "(?i)^admin(?-i)@", "@example.com$"])
def test_identifier_filter_in_go_syntax_is_accepted(api: IdpApi, admin: User, pattern: str) -> None:
    # Given a filter in Go's RE2 syntax (Unicode classes, flags in mid-pattern)
    provider = {**oauth2_provider(), "identifierFilter": pattern}

    # When an ADMIN creates the provider
    created = create(api, admin, provider)

    # Then it is kept as sent
    assert created["identifierFilter"] == pattern


@pytest.mark.parametrize(
    "url", ["http://localhost:8080/token", "HTTPS://Example.COM/t?x=1", "https://[::1]:443/x"]
)
def test_http_urls_with_any_host_are_accepted(api: IdpApi, admin: User, url: str) -> None:
    # Given a token URL on a private or differently spelt host (self-hosted IdPs are common)
    provider = oauth2_provider(tokenUrl=url)

    # When an ADMIN creates the provider
    created = create(api, admin, provider)

    # Then it is kept as sent
    assert created["config"]["oauth2Config"]["tokenUrl"] == url


def test_largest_provider_fits_in_one_item(api: IdpApi, admin: User) -> None:
    # Given a provider with every value at its bound
    url = "https://example.com/" + "u" * 2028
    provider = {
        "type": "OAUTH2",
        "title": "t" * 256,
        "identifierFilter": "x" * 512,
        "config": {
            "oauth2Config": {
                "clientId": "c" * 4096,
                "clientSecret": "s" * 4096,
                "authUrl": url,
                "tokenUrl": url,
                "userInfoUrl": url,
                "scopes": ["s" * 256] * 100,
                "fieldMapping": {k: "f" * 256 for k in ("identifier", "displayName", "email")},
            }
        },
    }

    # When an ADMIN creates it
    created = create(api, admin, provider)

    # Then it is stored and read back whole
    assert created == {**provider, "name": "identity-providers/1"}
    assert api.ok("GetIdentityProvider", {"name": created["name"]}, token_of(admin)) == created
