"""Every method of the contract (plus SearchUsers and GetUserAvatar) is routed to a service.

The app serves all eight services over an empty store, as the local server does, and the caller
holds a valid token, so no call stops at authentication: each must reach its service, which
answers for itself (often an error about the empty request) or UNIMPLEMENTED naming the method
until the method is written. What must never happen is a routing miss, the auth layer's
refusal or an internal error.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from devserver.services import all_services
from memos.rpc.app import create_service_app
from tests.api_methods import ApiMethod, all_methods
from tests.asgi import call
from tests.conftest import StaticTokenVerifier
from tests.integration.identity import emulated_stores, local_settings

if TYPE_CHECKING:
    from collections.abc import Iterator

    from memos.rpc.asgi import ASGIApp
    from tests.asgi import Response

GOOD_TOKEN = "good"
AUTHORIZED = {"authorization": f"Bearer {GOOD_TOKEN}"}
METHODS = all_methods()


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ASGIApp]:
    settings = local_settings(tmp_path_factory.mktemp("data"))
    with emulated_stores() as stores:
        yield create_service_app(
            *all_services(stores, settings),
            settings=settings,
            verifier=StaticTokenVerifier(GOOD_TOKEN),
        )


def assert_answered_by_the_service(method: ApiMethod, response: Response, code: object) -> None:
    """Neither routing nor authentication stopped the call, and nothing broke."""
    assert response.status != 500, response.body
    if response.status == 200:
        return
    body = response.json()
    assert body["message"] not in {"authentication required"}, body
    assert not body["message"].startswith(("no route matches", "unknown procedure")), body
    if body["code"] == code:
        assert body["message"] == method.unimplemented_message


def test_method_list_covers_every_service_and_the_two_additions() -> None:
    # Given the methods read from the generated descriptors
    # When they are grouped by service
    services = {method.service for method in METHODS}
    names = {str(method) for method in METHODS}

    # Then all eight services are there, with the two methods this project adds
    assert len(services) == 8
    assert {"UserService/SearchUsers", "UserService/GetUserAvatar"} <= names


@pytest.mark.parametrize("method", METHODS, ids=str)
def test_connect_call_with_valid_token_reaches_the_service(app: ASGIApp, method: ApiMethod) -> None:
    # Given an authenticated Connect binary call with an empty request
    headers = {"content-type": "application/proto", "connect-protocol-version": "1", **AUTHORIZED}

    # When the app serves it
    response = call(app, "POST", method.procedure, body=method.empty_request, headers=headers)

    # Then the method's service answers it (or says that it is not implemented yet)
    assert_answered_by_the_service(method, response, "unimplemented")


@pytest.mark.parametrize("method", METHODS, ids=str)
def test_rest_call_with_valid_token_reaches_the_service(app: ASGIApp, method: ApiMethod) -> None:
    # Given an authenticated call on the method's google.api.http route
    headers = dict(AUTHORIZED)
    body = b""
    if method.rest_has_body:
        headers["content-type"] = "application/json"
        body = b"{}"

    # When the app serves it
    response = call(app, method.http_method, method.rest_path, body=body, headers=headers)

    # Then the method's service answers it (or says that it is not implemented yet)
    assert_answered_by_the_service(method, response, 12)
    if response.status != 200:
        assert response.json()["details"] == []
