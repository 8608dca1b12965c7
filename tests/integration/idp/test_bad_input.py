"""Bad input on every method, from an ADMIN (who passes every check but the input's): always a
client error naming the problem, never INTERNAL."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import pytest

from memos.api.v1 import idp_service_pb2 as pb
from tests.asgi import call
from tests.integration.idp.conftest import create
from tests.integration.user.conftest import token_of

if TYPE_CHECKING:
    from memos.store.users import User
    from tests.asgi import Response
    from tests.integration.idp.conftest import IdpApi

BAD_NAMES = [
    "",
    "identity-providers",
    "identity-providers/",
    "identity-providers/abc",
    "identity-providers/1.5",
    "identity-providers/1/2",
    "identity-providers/2147483648",
    "identity-providers/-2147483649",
    "identity-providers/\uff11",  # a full-width digit one
    "/identity-providers/1",
    "users/1",
    "identity-providers/" + "9" * 5000,
]
UNKNOWN_IDS = ["identity-providers/0", "identity-providers/-1", "identity-providers/2147483647"]


def _client_error(response: Response) -> dict[str, Any]:
    assert 400 <= response.status < 500, response.body
    body: dict[str, Any] = response.json()
    return body


def _connect(api: IdpApi, admin: User, method: str, name: str) -> Response:
    bodies = {
        "GetIdentityProvider": {"name": name},
        "DeleteIdentityProvider": {"name": name},
        "UpdateIdentityProvider": {
            "identityProvider": {"name": name, "title": "x"},
            "updateMask": "title",
        },
    }
    return api.connect(method, bodies[method], token_of(admin))


METHODS = ["GetIdentityProvider", "UpdateIdentityProvider", "DeleteIdentityProvider"]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name", BAD_NAMES, ids=lambda name: name[:40] or "empty")
def test_bad_name_is_invalid_argument(api: IdpApi, admin: User, method: str, name: str) -> None:
    # Given a stored provider and a malformed name
    create(api, admin)

    # When an ADMIN calls the method with it over Connect
    response = _connect(api, admin, method, name)

    # Then it is INVALID_ARGUMENT naming the name, and nothing changed
    body = _client_error(response)
    assert (response.status, body["code"]) == (400, "invalid_argument")
    assert body["message"].startswith("invalid identity provider name: ")
    assert len(api.providers()) == 1


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name", UNKNOWN_IDS)
def test_well_formed_unknown_name_is_not_found(
    api: IdpApi, admin: User, method: str, name: str
) -> None:
    # Given provider 1 only
    create(api, admin)

    # When an ADMIN names another id
    response = _connect(api, admin, method, name)

    # Then it is NOT_FOUND and nothing was created
    assert (response.status, response.json()["code"]) == (404, "not_found")
    assert [p["name"] for p in api.providers()] == ["identity-providers/1"]


@pytest.mark.parametrize("verb", ["GET", "PATCH", "DELETE"])
@pytest.mark.parametrize("tail", ["abc", "-1", "99999999999", "%20", "1%2F2", quote("\uff11")])
def test_rest_bad_or_unknown_name_is_a_client_error(
    api: IdpApi, admin: User, verb: str, tail: str
) -> None:
    # Given a stored provider
    create(api, admin)

    # When an ADMIN calls a REST route with a bad or unknown id
    body = {"title": "x"} if verb == "PATCH" else None
    response = api.rest(verb, f"/api/v1/identity-providers/{tail}", body, token_of(admin))

    # Then it is a client error (bad name, unknown id or no such route), never INTERNAL
    _client_error(response)
    assert len(api.providers()) == 1


@pytest.mark.parametrize(
    "provider",
    [
        {"type": "OAUTH2", "title": 5},
        {"type": "OAUTH3"},
        {"config": {"oauth2Config": {"scopes": "openid"}}},
        {"config": {"oauth2Config": {"clientId": None, "fieldMapping": {"x": 1}}}},
        {"identifierFilter": ["a"]},
        {"title": "\ud800"},
    ],
    ids=str,
)
def test_malformed_provider_json_is_invalid_argument(
    api: IdpApi, admin: User, provider: dict[str, Any]
) -> None:
    # Given a provider whose JSON doesn't fit the message
    # When an ADMIN creates it over Connect and over REST
    connect = api.connect("CreateIdentityProvider", {"identityProvider": provider}, token_of(admin))
    rest = api.rest("POST", "/api/v1/identity-providers", provider, token_of(admin))

    # Then both are INVALID_ARGUMENT and nothing is stored
    assert (connect.status, _client_error(connect)["code"]) == (400, "invalid_argument")
    assert (rest.status, _client_error(rest)["code"]) == (400, 3)
    assert api.providers() == []


def test_nul_and_control_characters_in_values_are_stored_as_sent(api: IdpApi, admin: User) -> None:
    # Given a title and a client id with a NUL and a newline (valid protobuf strings)
    provider = pb.IdentityProvider(type=pb.IdentityProvider.OAUTH2, title="a\x00b\nc")
    provider.config.oauth2_config.client_id = "id\x00"
    provider.config.oauth2_config.field_mapping.identifier = "sub"

    # When an ADMIN creates it in protobuf binary
    request = pb.CreateIdentityProviderRequest(identity_provider=provider)
    response = api.connect_binary("CreateIdentityProvider", request, token_of(admin))

    # Then it is stored and read back unchanged
    assert response.status == 200, response.body
    read = api.ok("GetIdentityProvider", {"name": "identity-providers/1"}, token_of(admin))
    assert (read["title"], read["config"]["oauth2Config"]["clientId"]) == ("a\x00b\nc", "id\x00")


@pytest.mark.parametrize(
    "body",
    [
        b"\xff\xff\xff",
        b"\x0a\x05\x1a\x03\xff\xfe\xfd",  # identity_provider.title with invalid UTF-8
    ],
)
def test_undecodable_binary_request_is_invalid_argument(
    api: IdpApi, admin: User, body: bytes
) -> None:
    # Given a binary body that isn't a valid CreateIdentityProviderRequest
    headers = {
        "content-type": "application/proto",
        "connect-protocol-version": "1",
        "authorization": f"Bearer {token_of(admin)}",
    }

    # When it is posted
    response = call(
        api.app,
        "POST",
        "/memos.api.v1.IdentityProviderService/CreateIdentityProvider",
        body=body,
        headers=headers,
    )

    # Then it is INVALID_ARGUMENT
    assert (response.status, _client_error(response)["code"]) == (400, "invalid_argument")
