"""ListIdentityProviders and GetIdentityProvider (idp.md §2, §3.1, §3.2; Memos'
idp_service_test.go and acl_config_test.go): public listing, and client secrets for ADMINs only,
over Connect JSON, Connect binary and REST."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from functions.idp.service import IdentityProviderService
from memos.api.v1 import idp_service_pb2 as pb
from memos.auth.identity import Identity
from memos.auth.public_methods import is_public
from memos.domain.enums import Role
from memos.errors import ErrorKind
from memos.rpc.app import create_service_app
from memos.store.identity_providers import IdentityProvider, OAuth2Config
from tests.conftest import StaticTokenVerifier
from tests.integration.idp.conftest import (
    NO_CONTEXT,
    SECRET,
    IdpApi,
    call_directly,
    create,
    oauth2_provider,
    run_directly,
    secret_of,
)
from tests.integration.user.conftest import add_user, error_of, token_of

if TYPE_CHECKING:
    from memos.store import Stores
    from memos.store.users import User

SERVICE = "/memos.api.v1.IdentityProviderService/"


def test_list_is_public_and_get_is_not() -> None:
    # Given the one list of public methods
    # When the two read methods are looked up
    # Then only the listing may be called anonymously (the sign-in page needs it)
    assert is_public(SERVICE + "ListIdentityProviders")
    assert not is_public(SERVICE + "GetIdentityProvider")


def test_empty_instance_lists_no_providers(api: IdpApi) -> None:
    # Given no providers
    # When an anonymous caller lists them
    reply = api.ok("ListIdentityProviders", {})

    # Then the list is empty
    assert reply == {}


def test_anonymous_list_shows_every_provider_in_id_order(api: IdpApi, admin: User) -> None:
    # Given two providers created by an ADMIN
    for title in ("Provider 1", "Provider 2"):
        create(api, admin, oauth2_provider(title))

    # When an anonymous caller lists them
    listed = api.providers()

    # Then both are there, oldest first
    assert [(p["name"], p["title"]) for p in listed] == [
        ("identity-providers/1", "Provider 1"),
        ("identity-providers/2", "Provider 2"),
    ]


def test_list_redacts_only_the_client_secret_for_everyone_but_admins(
    api: IdpApi, admin: User, member: User
) -> None:
    # Given a provider with a secret and an identifier filter
    created = create(api, admin, {**oauth2_provider(), "identifierFilter": "@example.com$"})

    # When an anonymous caller, a USER and an ADMIN list the providers
    anonymous, user, full = (api.providers(t) for t in (None, token_of(member), token_of(admin)))

    # Then only the ADMIN sees the secret; everything else is shown to all
    redacted = {**created, "config": {"oauth2Config": dict(created["config"]["oauth2Config"])}}
    del redacted["config"]["oauth2Config"]["clientSecret"]
    assert anonymous == user == [redacted]
    assert full == [created]


def test_get_as_admin_shows_the_secret_and_as_user_blanks_it(
    api: IdpApi, admin: User, member: User
) -> None:
    # Given a provider with a secret
    created = create(api, admin)

    # When an ADMIN and a USER read it
    as_admin = api.ok("GetIdentityProvider", {"name": created["name"]}, token_of(admin))
    as_user = api.ok("GetIdentityProvider", {"name": created["name"]}, token_of(member))

    # Then only the ADMIN gets the secret; the rest is identical
    assert as_admin == created
    assert secret_of(as_user) == ""
    assert {**as_user, "config": None} == {**created, "config": None}


def test_get_without_a_caller_blanks_the_secret(
    api: IdpApi, admin: User, service: IdentityProviderService
) -> None:
    # Given a provider with the secret "test-secret"
    created = create(api, admin)

    # When the service is asked for it with no caller (Memos' test calls the service directly)
    request = pb.GetIdentityProviderRequest(name=created["name"])
    provider = run_directly(service.get_identity_provider(request, NO_CONTEXT))

    # Then it is the same provider with the secret blanked
    oauth2 = provider.config.oauth2_config
    assert (provider.name, provider.title, provider.type) == (
        created["name"],
        "Test OAuth2 Provider",
        pb.IdentityProvider.OAUTH2,
    )
    assert (oauth2.client_id, oauth2.client_secret) == ("test-client-id", "")


def test_anonymous_get_through_the_app_requires_authentication(api: IdpApi, admin: User) -> None:
    # Given a provider
    created = create(api, admin)

    # When an anonymous caller reads it over Connect and over REST
    connect = api.connect("GetIdentityProvider", {"name": created["name"]})
    rest = api.rest("GET", f"/api/v1/{created['name']}")

    # Then both stop at the gate (Memos v0.26.2 lets REST through, secret blanked)
    assert error_of(connect) == (401, "unauthenticated", "authentication required")
    assert rest.status == 401
    assert rest.json()["message"] == "authentication required"


def _binary_providers(api: IdpApi, token: str | None) -> list[pb.IdentityProvider]:
    response = api.connect_binary("ListIdentityProviders", pb.ListIdentityProvidersRequest(), token)
    assert response.status == 200, response.body
    return list(pb.ListIdentityProvidersResponse.FromString(response.body).identity_providers)


def _binary_get(api: IdpApi, name: str, token: str) -> pb.IdentityProvider:
    request = pb.GetIdentityProviderRequest(name=name)
    response = api.connect_binary("GetIdentityProvider", request, token)
    assert response.status == 200, response.body
    return pb.IdentityProvider.FromString(response.body)


def test_connect_binary_redacts_the_same_way(api: IdpApi, admin: User, member: User) -> None:
    # Given a provider with a secret
    name = create(api, admin)["name"]

    # When it is listed and read in protobuf binary by each kind of caller
    listed = {
        who: _binary_providers(api, token)[0].config.oauth2_config.client_secret
        for who, token in (
            ("anonymous", None),
            ("user", token_of(member)),
            ("admin", token_of(admin)),
        )
    }
    read = {
        who: _binary_get(api, name, token).config.oauth2_config.client_secret
        for who, token in (("user", token_of(member)), ("admin", token_of(admin)))
    }

    # Then only the ADMIN's replies carry the secret
    assert listed == {"anonymous": "", "user": "", "admin": SECRET}
    assert read == {"user": "", "admin": SECRET}


def _rest_secret(provider: dict[str, Any]) -> str:
    secret: str = provider["config"]["oauth2Config"]["clientSecret"]
    return secret


def test_rest_redacts_the_same_way(api: IdpApi, admin: User, member: User) -> None:
    # Given a provider with a secret
    name = create(api, admin)["name"]

    # When it is listed and read over REST by each kind of caller
    def listed(token: str | None) -> str:
        response = api.rest("GET", "/api/v1/identity-providers", token=token)
        assert response.status == 200, response.body
        return _rest_secret(response.json()["identityProviders"][0])

    def read(token: str) -> str:
        response = api.rest("GET", f"/api/v1/{name}", token=token)
        assert response.status == 200, response.body
        return _rest_secret(response.json())

    # Then only the ADMIN's replies carry the secret (REST prints it even when blank)
    assert [listed(None), listed(token_of(member)), listed(token_of(admin))] == ["", "", SECRET]
    assert [read(token_of(member)), read(token_of(admin))] == ["", SECRET]


@pytest.mark.parametrize("stored_role", [None, Role.USER], ids=["user-gone", "demoted"])
def test_secret_follows_the_stored_role_not_the_token(
    stores: Stores, stored_role: str | None
) -> None:
    # Given a stored provider, and a valid token claiming ADMIN for a user who is gone or has
    # been made a USER since it was issued
    stores.identity_providers.create(
        IdentityProvider(id=0, title="p", oauth2=OAuth2Config(client_secret=SECRET))
    )
    user_id = add_user(stores, "ghost", role=stored_role).id if stored_role else 77
    claims = Identity(user_id, "ghost", Role.ADMIN, "access_token")
    app = create_service_app(
        IdentityProviderService(stores),
        verifier=StaticTokenVerifier("t", claims),
        cors_origins=[],
    )
    api = IdpApi(app)

    # When the caller lists and reads the providers
    listed = api.providers("t")
    read = api.ok("GetIdentityProvider", {"name": "identity-providers/1"}, "t")

    # Then the secret is blanked: the role is the stored user's
    assert secret_of(listed[0]) == secret_of(read) == ""


def test_get_unknown_provider_is_not_found(api: IdpApi, admin: User) -> None:
    # Given no provider 999
    # When an ADMIN reads it
    response = api.connect(
        "GetIdentityProvider", {"name": "identity-providers/999"}, token_of(admin)
    )

    # Then it is NOT_FOUND
    assert error_of(response) == (404, "not_found", "identity provider not found")


def test_get_invalid_name_is_invalid_argument(
    api: IdpApi, admin: User, service: IdentityProviderService
) -> None:
    # Given a name that isn't identity-providers/{id}
    request = pb.GetIdentityProviderRequest(name="invalid-name")

    # When it is read through the app and directly
    response = api.connect("GetIdentityProvider", {"name": "invalid-name"}, token_of(admin))
    error = call_directly(service.get_identity_provider(request, NO_CONTEXT))

    # Then both are INVALID_ARGUMENT naming the problem
    status, code, message = error_of(response)
    assert (status, code) == (400, "invalid_argument")
    assert message.startswith("invalid identity provider name")
    assert error.kind == ErrorKind.INVALID_ARGUMENT
    assert "invalid identity provider name" in error.message
