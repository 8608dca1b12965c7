"""Each service's Lambda handler, invoked with API Gateway HTTP API (payload 2.0) events.

The events live in ``tests/fixtures/events/<service>.json``, one per case: a Connect call in
binary and in JSON, the same method over REST, a browser preflight and a malformed JSON body.
Every handler is imported fresh with ``MEMOS_CORS_ORIGINS`` set, as a Lambda cold start would.
"""

from __future__ import annotations

import base64
import importlib
import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pytest
from msgspec import Struct

from memos.auth.public_methods import is_public
from memos.config import get_settings
from tests.fresh_interpreter import modules_loaded_by

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

REPO_ROOT = Path(__file__).resolve().parents[2]
EVENTS_DIR = REPO_ROOT / "tests" / "fixtures" / "events"
WEB_APP_ORIGIN = "http://localhost:3001"

# Handler directory -> the representative method its fixtures call (public where one exists).
PROCEDURES = {
    "auth": "/memos.api.v1.AuthService/SignIn",
    "user": "/memos.api.v1.UserService/GetUser",
    "memo": "/memos.api.v1.MemoService/GetMemo",
    "attachment": "/memos.api.v1.AttachmentService/GetAttachment",
    "shortcut": "/memos.api.v1.ShortcutService/ListShortcuts",
    "activity": "/memos.api.v1.ActivityService/ListActivities",
    "instance": "/memos.api.v1.InstanceService/GetInstanceProfile",
    "idp": "/memos.api.v1.IdentityProviderService/ListIdentityProviders",
}
SERVICES = tuple(PROCEDURES)


def _implemented(service: str) -> bool:
    """Whether the service class defines the representative method itself (rather than
    inheriting the generated default): then it answers from the (empty) store, not 501."""
    module = importlib.import_module(f"functions.{service}.service")
    method = re.sub(r"(?<!^)(?=[A-Z])", "_", PROCEDURES[service].rsplit("/", 1)[1]).lower()
    classes = [c for c in vars(module).values() if isinstance(c, type)]
    return any(method in vars(c) and c.__module__ == module.__name__ for c in classes)


IMPLEMENTED = frozenset(service for service in SERVICES if _implemented(service))
CASES = ("connect_binary", "connect_json", "rest", "preflight", "malformed")

# Modules a service Lambda never needs: web frameworks and the local server's tooling.
# Web frameworks and test tools; and Powertools, whose package import is about 20 ms of cold start
# and which only the rare log lines other than the per-call one need.
HEAVY_MODULES = (
    "fastapi",
    "starlette",
    "pydantic",
    "uvicorn",
    "moto",
    "httpx",
    "aws_lambda_powertools",
)
# A function's init loads what every call needs; these modules load with the first call of the
# methods that use them (docs/decisions.md, "Cold init").
LOADED_ON_FIRST_USE: dict[str, tuple[str, ...]] = {
    "auth": (
        "bcrypt",
        "functions.auth.sign_in_throttle",
        "functions.auth.sso",
        "memos.auth.passwords",
        "memos.store.sign_in_attempts",
    ),
    "user": (
        "functions.user.access_tokens",
        "functions.user.directory",
        "functions.user.notifications",
        "functions.user.password_sessions",
        "functions.user.profile",
        "functions.user.stats",
        "functions.user.webhooks",
        "memos.domain.registration",
        "memos.domain.webhook_urls",
    ),
    "memo": (
        "functions.memo.listing",
        "functions.memo.writing",
        "memos.filters",
        "memos.markdown",
        "memos.store.memo_listing",
    ),
    "attachment": ("PIL", "memos.filters", "memos.store.memo_extras"),
    "idp": ("re2",),
}


class LambdaHandler(Protocol):
    def __call__(self, event: dict[str, Any], context: Any) -> dict[str, Any]: ...


class FakeLambdaContext(Struct, frozen=True):
    """The attributes of the Lambda context object that code may read."""

    function_name: str = "memos-dev-memo"
    aws_request_id: str = "5b0f6d1e-8c2a-4f3b-9e7d-1a2b3c4d5e6f"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:memos-dev-memo"

    def get_remaining_time_in_millis(self) -> int:
        return 29_000


class LambdaResponse(Struct, frozen=True):
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def load_event(service: str, case: str) -> dict[str, Any]:
    events: dict[str, dict[str, Any]] = json.loads((EVENTS_DIR / f"{service}.json").read_text())
    return events[case]


@pytest.fixture
def invoke(
    monkeypatch: pytest.MonkeyPatch, dynamodb_table: str
) -> Iterator[Callable[..., LambdaResponse]]:
    """Imports ``functions.<service>.handler`` fresh under the test's environment (an empty
    table in moto behind it) and calls it."""
    monkeypatch.setenv("MEMOS_CORS_ORIGINS", WEB_APP_ORIGIN)
    get_settings.cache_clear()

    def call(service: str, event: dict[str, Any]) -> LambdaResponse:
        module_name = f"functions.{service}.handler"
        monkeypatch.delitem(sys.modules, module_name, raising=False)
        handler: LambdaHandler = importlib.import_module(module_name).handler
        result = handler(event, FakeLambdaContext())
        raw = result.get("body", "")
        body = base64.b64decode(raw) if result.get("isBase64Encoded") else raw.encode()
        headers = {key.lower(): value for key, value in (result.get("headers") or {}).items()}
        return LambdaResponse(result["statusCode"], headers, body)

    yield call
    get_settings.cache_clear()


def test_fixtures_call_the_representative_method_of_each_service() -> None:
    # Given the fixture file of every service
    for service, procedure in PROCEDURES.items():
        # When its Connect and preflight events are read
        paths = {case: load_event(service, case)["rawPath"] for case in CASES if case != "rest"}

        # Then they all target the service's representative method
        assert set(paths.values()) == {procedure}, service
        assert load_event(service, "rest")["rawPath"].startswith("/api/v1/")


@pytest.mark.parametrize("case", ["connect_binary", "connect_json"])
@pytest.mark.parametrize("service", SERVICES)
def test_connect_call_reaches_method_or_requires_authentication(
    invoke: Callable[..., LambdaResponse], service: str, case: str
) -> None:
    # Given an anonymous Connect call from the web app
    procedure = PROCEDURES[service]
    event = load_event(service, case)

    # When the service's handler runs it
    response = invoke(service, event)

    # Then a public method reaches the service, a protected one is refused
    assert response.headers["access-control-allow-origin"] == WEB_APP_ORIGIN
    if service in IMPLEMENTED and is_public(procedure):
        assert response.status in {200, 400, 404}, response.body
        return
    assert response.headers["content-type"] == "application/json"
    if is_public(procedure):
        assert response.status == 501, response.body
        assert response.json() == {
            "code": "unimplemented",
            "message": f"{procedure.removeprefix('/')} is not implemented yet",
        }
    else:
        assert response.status == 401, response.body
        assert response.json() == {
            "code": "unauthenticated",
            "message": "authentication required",
        }


@pytest.mark.parametrize("service", SERVICES)
def test_rest_call_reaches_method_or_requires_authentication(
    invoke: Callable[..., LambdaResponse], service: str
) -> None:
    # Given an anonymous REST call on the method's google.api.http route
    procedure = PROCEDURES[service]
    event = load_event(service, "rest")

    # When the service's handler runs it
    response = invoke(service, event)

    # Then the REST error body carries the gRPC code of the same outcome as Connect
    assert response.headers["content-type"].startswith("application/json")
    if service in IMPLEMENTED and is_public(procedure):
        assert response.status in {200, 400, 404}, response.body
        body = response.json()
        assert response.status == 200 or set(body) == {"code", "message", "details"}
        return
    if is_public(procedure):
        assert response.status == 501, response.body
        assert response.json() == {
            "code": 12,
            "message": f"{procedure.removeprefix('/')} is not implemented yet",
            "details": [],
        }
    else:
        assert response.status == 401, response.body
        assert response.json() == {
            "code": 16,
            "message": "authentication required",
            "details": [],
        }


@pytest.mark.parametrize("service", SERVICES)
def test_preflight_allows_web_app_origin_with_credentials(
    invoke: Callable[..., LambdaResponse], service: str
) -> None:
    # Given the browser's preflight for a Connect call from the web app
    event = load_event(service, "preflight")
    requested = event["headers"]["access-control-request-headers"].split(",")

    # When the service's handler runs it
    response = invoke(service, event)

    # Then the origin is allowed with credentials, for POST and every requested header
    assert response.status == 204
    assert response.body == b""
    assert response.headers["access-control-allow-origin"] == WEB_APP_ORIGIN
    assert response.headers["access-control-allow-credentials"] == "true"
    allowed_methods = response.headers["access-control-allow-methods"].split(", ")
    assert "POST" in allowed_methods
    allowed_headers = response.headers["access-control-allow-headers"].split(", ")
    assert set(requested) <= set(allowed_headers)


@pytest.mark.parametrize("service", SERVICES)
def test_malformed_json_body_is_invalid_argument_not_internal_error(
    invoke: Callable[..., LambdaResponse], service: str
) -> None:
    # Given a Connect JSON call whose body is not JSON
    event = load_event(service, "malformed")

    # When the service's handler runs it
    response = invoke(service, event)

    # Then the client is told its body is invalid JSON, with the CORS headers of a success
    assert response.status == 400, response.body
    body = response.json()
    assert body["code"] == "invalid_argument"
    assert body["message"].startswith("invalid JSON body")
    assert response.headers["access-control-allow-origin"] == WEB_APP_ORIGIN


@pytest.mark.parametrize("service", SERVICES)
def test_small_response_is_not_gzipped_even_when_client_accepts_gzip(
    invoke: Callable[..., LambdaResponse], service: str
) -> None:
    # Given a Connect call from a client that accepts gzip
    event = load_event(service, "connect_json")
    event["headers"]["accept-encoding"] = "gzip"

    # When the service's handler answers with a short error body
    response = invoke(service, event)

    # Then the body is sent as it is, readable without decompression
    assert len(response.body) < 1024
    assert "content-encoding" not in response.headers
    assert isinstance(response.json(), dict)


def _own_generated_modules(service: str) -> set[str]:
    """The service's ``*_connect`` module plus the ``*_pb2`` modules its proto imports, and the
    instance settings' messages (several services read instance-wide settings)."""
    module = importlib.import_module(f"memos.api.v1.{service}_service_pb2")
    settings = importlib.import_module("memos.api.v1.instance_service_pb2")
    allowed = {f"memos.api.v1.{service}_service_connect"}
    pending = [module.DESCRIPTOR, settings.DESCRIPTOR]
    while pending:
        file = pending.pop()
        if not file.name.startswith("memos/api/v1/"):
            continue
        name = file.name.removesuffix(".proto").replace("/", ".") + "_pb2"
        if name not in allowed:
            allowed.add(name)
            pending.extend(file.dependencies)
    return allowed


@pytest.mark.parametrize("service", SERVICES)
def test_handler_imports_only_its_own_generated_code_and_no_web_framework(service: str) -> None:
    """Nor Powertools, nor the modules only some of its methods use."""
    # Given a fresh interpreter, as on a Lambda cold start
    # When it imports the service's handler module
    loaded = modules_loaded_by(f"import functions.{service}.handler")

    # Then only this service's generated modules are loaded, and no web framework
    generated = {name for name in loaded if name.startswith("memos.api.v1.")}
    assert generated <= _own_generated_modules(service), sorted(generated)
    assert f"memos.api.v1.{service}_service_connect" in generated
    heavy = {name for name in loaded if name.split(".")[0] in HEAVY_MODULES}
    assert not heavy, sorted(heavy)
    # And none of the modules only some of its methods use
    later = LOADED_ON_FIRST_USE.get(service, ())
    early = {name for name in loaded for prefix in later if (name + ".").startswith(prefix + ".")}
    assert not early, sorted(early)
