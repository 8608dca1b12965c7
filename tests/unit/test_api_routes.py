"""Extension routes under /api/v1: matched before the REST gateway, called through the same
interceptors (auth, errors, call metadata) and answering errors in the REST error shape."""

from __future__ import annotations

import gzip
import json
from typing import TYPE_CHECKING, Any

from memos.api.v1 import attachment_service_connect
from memos.errors import InvalidArgumentError
from memos.rpc.api_routes import ApiRequest, ApiRoute
from memos.rpc.app import create_service_app
from memos.rpc.call import current_call
from tests.asgi import call
from tests.conftest import StaticTokenVerifier

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from memos.rpc.asgi import ASGIApp

BEARER = {"authorization": "Bearer good", "content-type": "application/json"}


async def echo(request: ApiRequest) -> Mapping[str, Any]:
    info = current_call()
    identity = info.identity
    return {
        "params": dict(request.path_params),
        "body": request.body,
        "procedure": info.procedure,
        "transport": info.transport,
        "user": identity.username if identity else None,
    }


async def refuse(request: ApiRequest) -> Mapping[str, Any]:
    raise InvalidArgumentError("size must be a number")


async def crash(request: ApiRequest) -> Mapping[str, Any]:
    raise RuntimeError("secret detail")


class ServiceWithRoutes(attachment_service_connect.AttachmentService):
    def api_routes(self) -> Sequence[ApiRoute]:
        return (
            ApiRoute("POST", "/api/v1/things", "AttachmentService", "StartThing", echo),
            ApiRoute(
                "POST", "/api/v1/things/{thing_id}/finish", "AttachmentService", "Finish", echo
            ),
            ApiRoute("POST", "/api/v1/things/{thing_id}/refuse", "AttachmentService", "No", refuse),
            ApiRoute("POST", "/api/v1/things/{thing_id}/crash", "AttachmentService", "Boom", crash),
        )


def app() -> ASGIApp:
    return create_service_app(ServiceWithRoutes(), verifier=StaticTokenVerifier(), cors_origins=[])


def test_a_route_gets_its_path_variables_body_and_caller() -> None:
    # Given a signed-in caller
    # When they post JSON to a templated extension path
    response = call(
        app(), "POST", "/api/v1/things/abc/finish", body=b'{"memo": "memos/1"}', headers=BEARER
    )

    # Then the handler ran as that caller, over the REST transport, under its own procedure
    assert response.status == 200, response.body
    assert response.header("content-type") == "application/json"
    assert response.json() == {
        "params": {"thing_id": "abc"},
        "body": {"memo": "memos/1"},
        "procedure": "/memos.api.v1.AttachmentService/Finish",
        "transport": "rest",
        "user": "alice",
    }
    assert response.header("cache-control") == "no-cache, no-store, must-revalidate"


def test_an_empty_body_reaches_the_handler_as_none() -> None:
    response = call(
        app(), "POST", "/api/v1/things/abc/finish", headers={"authorization": "Bearer good"}
    )

    assert response.status == 200, response.body
    assert response.json()["body"] is None


def test_a_gzipped_body_is_inflated() -> None:
    response = call(
        app(),
        "POST",
        "/api/v1/things",
        body=gzip.compress(json.dumps({"size": 5}).encode()),
        headers={**BEARER, "content-encoding": "gzip"},
    )

    assert response.status == 200, response.body
    assert response.json()["body"] == {"size": 5}


def test_anonymous_callers_are_refused_as_on_every_protected_route() -> None:
    # Given no bearer token
    response = call(
        app(), "POST", "/api/v1/things", body=b"{}", headers={"content-type": "application/json"}
    )

    # Then the auth interceptor refuses before the handler, in the REST error shape
    assert response.status == 401
    assert response.json() == {"code": 16, "message": "authentication required", "details": []}
    assert response.header("www-authenticate") == "Bearer"


def test_domain_errors_map_to_rest_errors() -> None:
    response = call(app(), "POST", "/api/v1/things/x/refuse", body=b"{}", headers=BEARER)

    assert response.status == 400
    assert response.json() == {"code": 3, "message": "size must be a number", "details": []}


def test_unexpected_errors_answer_a_generic_internal_error() -> None:
    response = call(app(), "POST", "/api/v1/things/x/crash", body=b"{}", headers=BEARER)

    assert response.status == 500
    assert response.json()["code"] == 13
    assert b"secret detail" not in response.body


def test_a_body_that_is_not_json_is_refused_with_415() -> None:
    response = call(
        app(),
        "POST",
        "/api/v1/things",
        body=b"a=b",
        headers={
            "authorization": "Bearer good",
            "content-type": "application/x-www-form-urlencoded",
        },
    )

    assert response.status == 415
    assert response.json()["code"] == 3


def test_malformed_json_is_a_400_naming_the_problem() -> None:
    response = call(app(), "POST", "/api/v1/things", body=b"{nope", headers=BEARER)

    assert response.status == 400
    assert response.json()["message"].startswith("invalid JSON body")


def test_another_verb_on_a_route_path_is_405_with_allow() -> None:
    response = call(app(), "GET", "/api/v1/things", headers=BEARER)

    assert response.status == 405
    assert response.header("allow") == "POST"
    assert response.json()["code"] == 12


def test_paths_no_route_declares_still_go_to_the_rest_gateway() -> None:
    # Given a path of the proto's REST mapping, not an extension
    response = call(app(), "GET", "/api/v1/attachments/abc", headers=BEARER)

    # Then the gateway answers it (the bare service leaves the method unimplemented)
    assert response.status == 501
    assert "GetAttachment" in response.json()["message"]


def test_a_variable_matches_one_segment_only() -> None:
    response = call(app(), "POST", "/api/v1/things/a/b/finish", body=b"{}", headers=BEARER)

    assert response.status == 404
    assert response.json()["message"] == "no route matches POST /api/v1/things/a/b/finish"
