"""The deployed wiring, proved in process: template route -> authorizer -> function handler.

For each request below, the route API Gateway would pick is looked up in the *synthesized* API
stack (literal routes before parameter routes before greedy ones, as API Gateway matches), the
authorizer runs when that route has one (API Gateway answers 401 itself when the Authorization
header is missing, 403 when the authorizer says no), and the handler named by the route's
function is imported and invoked with the API Gateway v2 event that route produces, with the
function's environment from the template and AWS emulated by moto behind it.
"""

from __future__ import annotations

import base64
import importlib
import json
import sys
from typing import TYPE_CHECKING, Any

import pytest
from moto import mock_aws
from msgspec import Struct

from memos.config import get_settings
from memos.rpc.http_rules import default_router
from memos.store import schema
from tests.infra.synth import deployed_routes, synthesized

if TYPE_CHECKING:
    from collections.abc import Iterator

    from tests.infra.synth import DeployedRoute

REGION = "us-east-1"
TABLE = "memos-topology"
BUCKET = "memos-topology-attachments"
SECRET = "memos-topology-jwt"
ORIGIN = "http://localhost:3001"
API_HOST = "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com"


class Response(Struct, frozen=True):
    status: int
    headers: dict[str, str]
    body: bytes
    route: DeployedRoute | None

    def json(self) -> Any:
        return json.loads(self.body)


@pytest.fixture(scope="module")
def routes() -> dict[str, DeployedRoute]:
    return deployed_routes(synthesized()["dev"].stack("Api"))


def match_route(
    routes: dict[str, DeployedRoute], method: str, path: str
) -> tuple[DeployedRoute, dict[str, str]] | None:
    """The route API Gateway would choose: exact (literal or {param}) before greedy, literal
    segments preferred left to right."""
    wanted = path.strip("/").split("/")
    candidates: list[tuple[tuple[bool, tuple[int, ...]], DeployedRoute, dict[str, str]]] = []
    for key, route in routes.items():
        verb, template = key.split(" ", 1)
        if verb not in (method, "ANY"):
            continue
        parameters = _match(template.strip("/").split("/"), wanted)
        if parameters is None:
            continue
        segments = template.strip("/").split("/")
        greedy = segments[-1].endswith("+}")
        rank = tuple(1 if segment.startswith("{") else 0 for segment in segments)
        candidates.append(((greedy, rank), route, parameters))
    if not candidates:
        return None
    _, route, parameters = min(candidates, key=lambda candidate: candidate[0])
    return route, parameters


def _match(template: list[str], wanted: list[str]) -> dict[str, str] | None:
    parameters: dict[str, str] = {}
    for index, segment in enumerate(template):
        if index >= len(wanted) or not wanted[index]:
            return None
        if segment.startswith("{") and segment.endswith("+}"):
            parameters[segment[1:-2]] = "/".join(wanted[index:])
            return parameters
        if segment.startswith("{"):
            parameters[segment[1:-1]] = wanted[index]
        elif segment != wanted[index]:
            return None
    return parameters if len(template) == len(wanted) else None


def gateway_event(
    route: DeployedRoute,
    parameters: dict[str, str],
    method: str,
    path: str,
    *,
    query: str = "",
    headers: dict[str, str] | None = None,
    body: str | None = None,
) -> dict[str, Any]:
    """The payload 2.0 event API Gateway sends for this request on this route."""
    all_headers = {
        "host": API_HOST,
        "origin": ORIGIN,
        "x-forwarded-proto": "https",
        "x-forwarded-for": "203.0.113.9",
        **(headers or {}),
    }
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route.key,
        "rawPath": path,
        "rawQueryString": query,
        "headers": all_headers,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": API_HOST.split(".", maxsplit=1)[0],
            "domainName": API_HOST,
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "203.0.113.9",
                "userAgent": "topology-test",
            },
            "requestId": "topology-request",
            "routeKey": route.key,
            "stage": "$default",
            "timeEpoch": 1764331247647,
        },
        "isBase64Encoded": False,
    }
    if parameters:
        event["pathParameters"] = parameters
    if query:
        event["queryStringParameters"] = dict(
            part.split("=", 1) for part in query.split("&") if "=" in part
        )
    if body is not None:
        event["body"] = body
    return event


def authorizer_event(event: dict[str, Any]) -> dict[str, Any]:
    method = event["requestContext"]["http"]["method"]
    return {
        **event,
        "type": "REQUEST",
        "routeArn": f"arn:aws:execute-api:{REGION}:123456789012:a1b2c3d4e5/$default/{method}"
        + event["rawPath"],
        "identitySource": [event["headers"]["authorization"]],
    }


class FakeContext(Struct, frozen=True):
    function_name: str = "memos-topology"
    aws_request_id: str = "topology-request"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = f"arn:aws:lambda:{REGION}:123456789012:function:memos-topology"

    def get_remaining_time_in_millis(self) -> int:
        return 29_000


@pytest.fixture
def cloud(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """moto with the table, bucket and secret the functions' environment names."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("MEMOS_DYNAMODB_ENDPOINT", raising=False)
    monkeypatch.delenv("MEMOS_S3_ENDPOINT", raising=False)
    _clear_caches()
    with mock_aws():
        import boto3  # noqa: PLC0415 - created inside mock_aws on purpose

        boto3.client("dynamodb", region_name=REGION).create_table(
            **schema.create_table_arguments(TABLE)  # type: ignore[arg-type]
        )
        boto3.client("s3", region_name=REGION).create_bucket(Bucket=BUCKET)
        boto3.client("secretsmanager", region_name=REGION).create_secret(
            Name=SECRET, SecretString="topology-signing-secret-" + "x" * 40
        )
        yield
    _clear_caches()


def _clear_caches() -> None:
    get_settings.cache_clear()
    for module_name in ("memos.store", "memos.store.clients"):
        module = sys.modules.get(module_name)
        for attribute in ("dynamodb_client", "s3_client", "stores_from_environment"):
            cached = getattr(module, attribute, None)
            if cached is not None and hasattr(cached, "cache_clear"):
                cached.cache_clear()


def _environment(route: DeployedRoute) -> dict[str, str]:
    concrete = {
        "MEMOS_TABLE_NAME": TABLE,
        "MEMOS_BUCKET_NAME": BUCKET,
        "MEMOS_JWT_SECRET_NAME": SECRET,
    }
    return {
        name: concrete.get(name, value if isinstance(value, str) else "")
        for name, value in route.environment.items()
    }


def _load_handler(dotted: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    module_name, _, attribute = dotted.rpartition(".")
    monkeypatch.delitem(sys.modules, module_name, raising=False)
    return getattr(importlib.import_module(module_name), attribute)


def call(
    routes: dict[str, DeployedRoute],
    monkeypatch: pytest.MonkeyPatch,
    method: str,
    path: str,
    **request: Any,
) -> Response:
    """What the deployed API would answer, with API Gateway's own steps simulated."""
    matched = match_route(routes, method, path)
    if matched is None:
        return Response(404, {}, b'{"message":"Not Found"}', None)
    route, parameters = matched
    event = gateway_event(route, parameters, method, path, **request)
    for name, value in _environment(route).items():
        monkeypatch.setenv(name, value)
    _clear_caches()
    if route.authorizer_handler is not None:
        if "authorization" not in event["headers"]:
            return Response(401, {}, b'{"message":"Unauthorized"}', route)
        try:
            authorize = _load_handler(route.authorizer_handler, monkeypatch)
        except ImportError as exc:
            pytest.skip(f"the authorizer ({route.authorizer_handler}) is not written yet: {exc}")
        decision = authorize(authorizer_event(event), FakeContext())
        if not decision.get("isAuthorized"):
            return Response(403, {}, b'{"message":"Forbidden"}', route)
        event["requestContext"]["authorizer"] = {"lambda": decision.get("context", {})}
    result = _load_handler(route.handler, monkeypatch)(event, FakeContext())
    raw = result.get("body", "")
    body = base64.b64decode(raw) if result.get("isBase64Encoded") else raw.encode()
    headers = {key.lower(): value for key, value in (result.get("headers") or {}).items()}
    return Response(result["statusCode"], headers, body, route)


def _reached(response: Response, procedure: str) -> None:
    """The method ran: it answered, or said it isn't implemented yet, naming itself."""
    assert response.status != 404 or "not found" in response.body.decode().lower()
    if response.status == 501:
        assert procedure.strip("/") in response.json()["message"]


# --- Public methods: no authorizer, straight to the service function -----------------------


def test_a_public_connect_call_reaches_its_service_function(
    routes: dict[str, DeployedRoute], cloud: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    procedure = "/memos.api.v1.InstanceService/GetInstanceProfile"

    response = call(
        routes,
        monkeypatch,
        "POST",
        procedure,
        headers={"content-type": "application/json", "connect-protocol-version": "1"},
        body="{}",
    )

    assert response.route is not None
    assert response.route.handler == "functions.instance.handler.handler"
    assert response.route.authorizer_handler is None
    assert response.status in (200, 501)
    _reached(response, procedure)
    assert response.headers["access-control-allow-origin"] == ORIGIN


def test_a_public_rest_call_reaches_the_same_function(
    routes: dict[str, DeployedRoute], cloud: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    response = call(routes, monkeypatch, "GET", "/api/v1/instance/profile")

    assert response.route is not None
    assert response.route.key == "GET /api/v1/instance/profile"
    assert response.route.handler == "functions.instance.handler.handler"
    assert response.status in (200, 501)
    _reached(response, "/memos.api.v1.InstanceService/GetInstanceProfile")


def test_a_custom_verb_after_a_variable_lands_on_the_user_function_and_its_method(
    routes: dict[str, DeployedRoute], cloud: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = "/api/v1/users/1:getStats"

    response = call(routes, monkeypatch, "GET", path)

    assert response.route is not None
    assert response.route.key == "GET /api/v1/users/{user}"
    assert response.route.handler == "functions.user.handler.handler"
    assert response.route.authorizer_handler is None  # GetUser and GetUserStats are public
    assert response.status in (200, 404, 501)
    _reached(response, "/memos.api.v1.UserService/GetUserStats")
    match = default_router().match("GET", path)
    assert getattr(match, "route", None) is not None
    assert match.route.method == "GetUserStats"  # type: ignore[union-attr]


def test_search_users_over_rest_lands_on_the_user_function(
    routes: dict[str, DeployedRoute], cloud: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    response = call(routes, monkeypatch, "GET", "/api/v1/users:search", query="query=al")

    assert response.route is not None
    assert response.route.key == "GET /api/v1/{customMethod}"
    assert response.route.handler == "functions.user.handler.handler"
    assert response.route.authorizer_handler is None
    _reached(response, "/memos.api.v1.UserService/SearchUsers")


def test_the_literal_users_route_still_beats_the_custom_method_parameter(
    routes: dict[str, DeployedRoute],
) -> None:
    matched = match_route(routes, "GET", "/api/v1/users")

    assert matched is not None
    assert matched[0].key == "GET /api/v1/users"
    assert matched[0].authorizer_handler is not None  # ListUsers is protected


def test_the_avatar_file_route_reaches_the_user_function_without_the_authorizer(
    routes: dict[str, DeployedRoute], cloud: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    response = call(routes, monkeypatch, "GET", "/file/users/1/avatar")

    assert response.route is not None
    assert response.route.handler == "functions.user.handler.handler"
    assert response.route.authorizer_handler is None
    assert response.status < 500 or response.status == 501


def test_the_attachment_file_route_reaches_the_attachment_function(
    routes: dict[str, DeployedRoute],
) -> None:
    matched = match_route(routes, "GET", "/file/attachments/abc123/photo.png")

    assert matched is not None
    route, parameters = matched
    assert route.handler == "functions.attachment.handler.handler"
    assert route.authorizer_handler is None
    assert parameters == {"proxy": "abc123/photo.png"}


def test_the_openapi_document_is_served_by_the_instance_function(
    routes: dict[str, DeployedRoute], cloud: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    response = call(routes, monkeypatch, "GET", "/api/v1/openapi.json")

    assert response.route is not None
    assert response.route.handler == "functions.instance.handler.handler"
    assert response.status == 200
    assert response.json()["openapi"].startswith("3.")


# --- Protected methods: the authorizer stands in front ----------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/memos.api.v1.MemoService/CreateMemo"),
        ("POST", "/api/v1/memos"),
        ("GET", "/api/v1/users"),
    ],
)
def test_a_protected_call_without_credentials_is_refused_by_the_gateway(
    routes: dict[str, DeployedRoute],
    cloud: None,
    monkeypatch: pytest.MonkeyPatch,
    method: str,
    path: str,
) -> None:
    response = call(routes, monkeypatch, method, path, body="{}")

    assert response.route is not None
    assert response.route.authorizer_handler == "functions.authorizer.handler.handler"
    assert response.status == 401


def test_a_protected_call_with_a_bad_token_is_refused_by_the_authorizer(
    routes: dict[str, DeployedRoute], cloud: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    response = call(
        routes,
        monkeypatch,
        "POST",
        "/memos.api.v1.MemoService/CreateMemo",
        headers={"authorization": "Bearer not-a-token", "content-type": "application/json"},
        body="{}",
    )

    assert response.status == 403


def test_an_unknown_path_gets_the_gateways_not_found(routes: dict[str, DeployedRoute]) -> None:
    assert match_route(routes, "GET", "/nowhere/at/all") is None
