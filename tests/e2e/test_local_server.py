"""The local server over real HTTP: every method on both protocols, CORS defaults, API docs.

The server runs with no configuration at all, as ``make serve`` starts it on a fresh clone.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import httpx
import pytest

from tests.api_methods import ApiMethod, all_methods

if TYPE_CHECKING:
    from collections.abc import Iterator

WEB_APP_ORIGIN = "http://localhost:3001"
FOREIGN_ORIGIN = "http://evil.example"
METHODS = all_methods()
_ASSET_LINK = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


@pytest.fixture(scope="module")
def client(local_server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=local_server, timeout=5.0) as http:
        yield http


def assert_reaches_method_or_requires_authentication(
    method: ApiMethod, response: httpx.Response, *, rest: bool
) -> None:
    """Public methods reach their service; protected ones ask for a token.

    A public method's service answers for itself: often an error about the empty request, or
    UNIMPLEMENTED naming the method until it is written. It is never a routing miss, the auth
    layer's refusal or an internal error.
    """
    body = response.json() if response.status_code != 200 else {}
    if not method.public:
        assert response.status_code == 401, response.text
        assert body["code"] == (16 if rest else "unauthenticated")
        assert body["message"] == "authentication required"
        return
    assert response.status_code != 500, response.text
    if response.status_code == 200:
        return
    assert body["message"] != "authentication required", body
    assert not body["message"].startswith(("no route matches", "unknown procedure")), body
    if body["code"] == (12 if rest else "unimplemented"):
        assert body["message"] == method.unimplemented_message


@pytest.mark.parametrize("method", METHODS, ids=str)
def test_connect_binary_call_reaches_every_method(client: httpx.Client, method: ApiMethod) -> None:
    # Given an anonymous Connect call with the empty request message in binary
    headers = {"content-type": "application/proto", "connect-protocol-version": "1"}

    # When it is posted to the method's procedure
    response = client.post(method.procedure, content=method.empty_request, headers=headers)

    # Then the method is routed and answers per its access rule
    assert_reaches_method_or_requires_authentication(method, response, rest=False)


@pytest.mark.parametrize("method", METHODS, ids=str)
def test_connect_json_call_reaches_every_method(client: httpx.Client, method: ApiMethod) -> None:
    # Given an anonymous Connect call with an empty JSON request
    headers = {"content-type": "application/json", "connect-protocol-version": "1"}

    # When it is posted to the method's procedure
    response = client.post(method.procedure, content=b"{}", headers=headers)

    # Then the method is routed and answers per its access rule
    assert_reaches_method_or_requires_authentication(method, response, rest=False)


@pytest.mark.parametrize("method", METHODS, ids=str)
def test_rest_call_reaches_every_method(client: httpx.Client, method: ApiMethod) -> None:
    # Given an anonymous call on the method's google.api.http route
    headers = {"content-type": "application/json"} if method.rest_has_body else {}
    body = b"{}" if method.rest_has_body else None

    # When it is sent with the rule's verb
    response = client.request(method.http_method, method.rest_path, content=body, headers=headers)

    # Then the method is routed and answers per its access rule, errors as a REST error body
    assert_reaches_method_or_requires_authentication(method, response, rest=True)
    if response.status_code != 200:
        assert response.json()["details"] == []


def test_web_app_dev_origin_is_allowed_by_default(client: httpx.Client) -> None:
    # Given the web app's dev server origin and no CORS configuration
    procedure = "/memos.api.v1.InstanceService/GetInstanceProfile"
    preflight_headers = {
        "origin": WEB_APP_ORIGIN,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type,connect-protocol-version,authorization",
    }

    # When the browser preflights and then makes the call
    preflight = client.options(procedure, headers=preflight_headers)
    response = client.post(
        procedure,
        content=b"{}",
        headers={"origin": WEB_APP_ORIGIN, "content-type": "application/json"},
    )

    # Then both answers allow the origin with credentials
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == WEB_APP_ORIGIN
    assert preflight.headers["access-control-allow-credentials"] == "true"
    assert response.headers["access-control-allow-origin"] == WEB_APP_ORIGIN
    assert response.headers["access-control-allow-credentials"] == "true"


def test_foreign_origin_is_not_reflected(client: httpx.Client) -> None:
    # Given an origin nobody configured
    procedure = "/memos.api.v1.InstanceService/GetInstanceProfile"

    # When it preflights and then makes the call
    preflight = client.options(
        procedure,
        headers={"origin": FOREIGN_ORIGIN, "access-control-request-method": "POST"},
    )
    response = client.post(
        procedure,
        content=b"{}",
        headers={"origin": FOREIGN_ORIGIN, "content-type": "application/json"},
    )

    # Then no answer lets a browser read the response from that origin
    assert preflight.status_code == 403
    for answer in (preflight, response):
        assert "access-control-allow-origin" not in answer.headers
        assert "access-control-allow-credentials" not in answer.headers


def test_openapi_document_is_served(client: httpx.Client) -> None:
    # When the OpenAPI document is requested
    response = client.get("/api/v1/openapi.json")

    # Then it is a JSON OpenAPI document
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert "openapi" in response.json()


def test_docs_page_loads_its_assets_locally(client: httpx.Client) -> None:
    # When the API docs page is requested
    response = client.get("/api/docs")

    # Then it is HTML whose scripts and styles come from this server, not a CDN
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    links = _ASSET_LINK.findall(response.text)
    assert links, "the docs page links no assets"
    remote = [link for link in links if link.startswith(("http:", "https:", "//"))]
    assert not remote, remote
