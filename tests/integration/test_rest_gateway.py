"""The REST gateway, driven in process over ASGI with recording fake services.

The fake endpoints are the real generated ones (method info from the *_connect modules) with
their functions replaced by a recorder, so a test sees exactly the request message the gateway
built and controls the reply.
"""

from __future__ import annotations

import asyncio
import base64
import importlib
import logging
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from connectrpc.code import Code
from connectrpc.errors import ConnectError
from connectrpc.method import IdempotencyLevel, MethodInfo
from connectrpc.server import Endpoint
from google.api import annotations_pb2, httpbody_pb2
from google.protobuf import (
    descriptor_pb2,
    descriptor_pool,
    duration_pb2,
    field_mask_pb2,
    message_factory,
    timestamp_pb2,
    wrappers_pb2,
)
from msgspec import Struct, field

from memos.api.v1 import auth_service_pb2, common_pb2, memo_service_pb2, user_service_pb2
from memos.errors import GENERIC_INTERNAL_MESSAGE, NotFoundError
from memos.rpc.http_rules import Router, routes_for_services
from memos.rpc.rest import RestGateway, rest_error_response
from memos.rpc.transport import current_transport

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from connectrpc._server_shared import EndpointUnary
    from connectrpc.request import RequestContext

    from memos.errors import ErrorKind

_ = (duration_pb2, field_mask_pb2, timestamp_pb2, wrappers_pb2, annotations_pb2)  # in the pool

CONNECT_MODULES = (
    "auth_service",
    "user_service",
    "memo_service",
    "attachment_service",
    "shortcut_service",
    "activity_service",
    "instance_service",
    "idp_service",
)


class Call(Struct):
    procedure: str
    request: Any
    ctx: RequestContext[Any, Any]
    transport: str


class Recorder(Struct):
    """Records every call; replies with ``replies[procedure](request, ctx)`` or an empty output."""

    calls: list[Call] = field(default_factory=list)
    replies: dict[str, Callable[[Any, RequestContext[Any, Any]], Any]] = field(default_factory=dict)

    def endpoint(self, method: MethodInfo[Any, Any]) -> EndpointUnary[Any, Any]:
        procedure = f"/{method.service_name}/{method.name}"

        async def function(request: Any, ctx: RequestContext[Any, Any]) -> Any:
            self.calls.append(Call(procedure, request, ctx, current_transport.get()))
            reply = self.replies.get(procedure)
            return reply(request, ctx) if reply else method.output()

        return Endpoint.unary(method=method, function=function)

    @property
    def last(self) -> Call:
        return self.calls[-1]


def generated_methods(modules: tuple[str, ...] = CONNECT_MODULES) -> list[MethodInfo[Any, Any]]:
    """MethodInfo of every endpoint the generated ASGI applications declare."""

    class AnyService:
        def __getattr__(self, name: str) -> Any:
            return name

    methods: list[MethodInfo[Any, Any]] = []
    for name in modules:
        module = importlib.import_module(f"memos.api.v1.{name}_connect")
        for attribute, value in vars(module).items():
            if attribute.endswith("ServiceASGIApplication"):
                endpoints = value(AnyService())._resolve_endpoints(AnyService())
                methods.extend(endpoint.method for endpoint in endpoints.values())
    return methods


def gateway_for(
    recorder: Recorder, modules: tuple[str, ...] = CONNECT_MODULES, **options: Any
) -> RestGateway:
    endpoints = {
        f"/{m.service_name}/{m.name}": recorder.endpoint(m) for m in generated_methods(modules)
    }
    return RestGateway(endpoints, **options)


def send(
    app: RestGateway,
    method: str,
    url: str,
    *,
    json: Any = None,
    content: bytes | None = None,
    headers: Mapping[str, str] | None = None,
) -> httpx.Response:
    async def run() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, client=("198.51.100.7", 4321))
        async with httpx.AsyncClient(transport=transport, base_url="http://memos.test") as client:
            return await client.request(method, url, json=json, content=content, headers=headers)

    return asyncio.run(run())


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def gateway(recorder: Recorder) -> RestGateway:
    return gateway_for(recorder)


def assert_rest_error(response: httpx.Response, status: int, code: int, text: str) -> None:
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["code"] == code
    assert text in body["message"]
    assert body["details"] == []


# --- Routing ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("verb", "path", "procedure", "field_path", "value"),
    [
        ("GET", "/api/v1/users:stats", "UserService/ListAllUserStats", None, None),
        ("GET", "/api/v1/users:search", "UserService/SearchUsers", None, None),
        ("GET", "/api/v1/users/5:getStats", "UserService/GetUserStats", "name", "users/5"),
        ("GET", "/api/v1/users/5", "UserService/GetUser", "name", "users/5"),
        ("GET", "/api/v1/users", "UserService/ListUsers", None, None),
        ("GET", "/api/v1/users/5/avatar", "UserService/GetUserAvatar", "name", "users/5"),
        (
            "GET",
            "/api/v1/users/1/settings/GENERAL",
            "UserService/GetUserSetting",
            "name",
            "users/1/settings/GENERAL",
        ),
        ("PATCH", "/api/v1/memos/abc", "MemoService/UpdateMemo", "memo.name", "memos/abc"),
        (
            "DELETE",
            "/api/v1/memos/abc/reactions/7",
            "MemoService/DeleteMemoReaction",
            "name",
            "memos/abc/reactions/7",
        ),
    ],
)
def test_most_specific_route_receives_the_request_with_its_path_variable(
    gateway: RestGateway,
    recorder: Recorder,
    verb: str,
    path: str,
    procedure: str,
    field_path: str | None,
    value: str | None,
) -> None:
    # Given the gateway over every service
    # When the path is requested
    response = send(gateway, verb, path)
    # Then the most specific route's method got the path variable in its (nested) field
    assert response.status_code == 200, response.text
    assert recorder.last.procedure == f"/memos.api.v1.{procedure}"
    if field_path is not None:
        target = recorder.last.request
        for part in field_path.split("."):
            target = getattr(target, part)
        assert target == value


def test_unknown_path_is_404_naming_the_missing_route(gateway: RestGateway) -> None:
    response = send(gateway, "GET", "/api/v1/xyz")
    assert_rest_error(response, 404, 5, "no route matches GET /api/v1/xyz")


def test_path_of_a_service_this_app_does_not_serve_is_404_no_route(recorder: Recorder) -> None:
    # Given a gateway serving MemoService only
    memo_only = gateway_for(recorder, ("memo_service",))
    # When a UserService path is requested
    response = send(memo_only, "GET", "/api/v1/users/1")
    # Then it is a missing route, and no service ran
    assert_rest_error(response, 404, 5, "no route matches GET /api/v1/users/1")
    assert recorder.calls == []


def test_wrong_verb_on_a_known_path_is_405_with_allow_header(gateway: RestGateway) -> None:
    response = send(gateway, "PUT", "/api/v1/memos/abc")
    assert_rest_error(response, 405, 12, "method PUT not allowed for /api/v1/memos/abc")
    assert response.headers["allow"] == "DELETE, GET, PATCH"


def test_wrong_verb_on_a_custom_verb_path_is_405(gateway: RestGateway) -> None:
    response = send(gateway, "DELETE", "/api/v1/users:stats")
    assert_rest_error(response, 405, 12, "method DELETE not allowed for /api/v1/users:stats")
    assert response.headers["allow"] == "GET"


def test_path_variable_is_percent_decoded(gateway: RestGateway, recorder: Recorder) -> None:
    send(gateway, "GET", "/api/v1/memos/a%20b%3Ac")
    assert recorder.last.request.name == "memos/a b:c"


def test_encoded_slash_inside_a_single_segment_variable_matches_no_route(
    gateway: RestGateway,
) -> None:
    response = send(gateway, "GET", "/api/v1/memos/a%2Fb")
    assert_rest_error(response, 404, 5, "no route matches GET /api/v1/memos/a/b")


# --- Request bodies ---------------------------------------------------------------------------


def test_body_field_accepts_camel_and_snake_case_names(
    gateway: RestGateway, recorder: Recorder
) -> None:
    # Given a memo written with one camelCase and one snake_case timestamp
    memo = {
        "content": "hello",
        "visibility": "PUBLIC",
        "displayTime": "2024-05-01T10:00:00Z",
        "create_time": "2024-04-01T00:00:00Z",
    }
    # When it is posted
    response = send(gateway, "POST", "/api/v1/memos?memoId=m1", json=memo)
    # Then both reached the body field, and the query filled the rest
    assert response.status_code == 200, response.text
    request = recorder.last.request
    assert request.memo.content == "hello"
    assert request.memo.visibility == memo_service_pb2.Visibility.PUBLIC
    assert request.memo.display_time.ToJsonString() == "2024-05-01T10:00:00Z"
    assert request.memo.create_time.ToJsonString() == "2024-04-01T00:00:00Z"
    assert request.memo_id == "m1"


def test_body_star_fills_the_whole_message_and_path_wins(
    gateway: RestGateway, recorder: Recorder
) -> None:
    body = {"name": "memos/other", "reaction": {"reactionType": "👍", "contentId": "memos/abc"}}
    response = send(gateway, "POST", "/api/v1/memos/abc/reactions", json=body)
    assert response.status_code == 200, response.text
    request = recorder.last.request
    assert request.name == "memos/abc"
    assert request.reaction.reaction_type == "👍"


def test_patch_update_mask_comes_from_a_comma_list_with_camel_case_paths(
    gateway: RestGateway, recorder: Recorder
) -> None:
    response = send(
        gateway,
        "PATCH",
        "/api/v1/memos/abc?update_mask=content,displayTime",
        json={"content": "x", "pinned": True},
    )
    assert response.status_code == 200, response.text
    request = recorder.last.request
    assert request.memo.name == "memos/abc"
    assert list(request.update_mask.paths) == ["content", "display_time"]


def test_patch_without_update_mask_derives_it_from_the_body_keys(
    gateway: RestGateway, recorder: Recorder
) -> None:
    send(gateway, "PATCH", "/api/v1/memos/abc", json={"content": "x", "displayTime": None})
    assert list(recorder.last.request.update_mask.paths) == ["content", "display_time"]


def test_unknown_json_field_is_rejected_by_name(gateway: RestGateway, recorder: Recorder) -> None:
    response = send(gateway, "POST", "/api/v1/memos", json={"content": "x", "colour": "red"})
    assert_rest_error(response, 400, 3, "invalid JSON body")
    assert "colour" in response.json()["message"]
    assert recorder.calls == []


def test_unknown_json_field_is_ignored_when_not_strict(recorder: Recorder) -> None:
    lenient = gateway_for(recorder, strict_fields=False)
    response = send(lenient, "POST", "/api/v1/memos", json={"content": "x", "colour": "red"})
    assert response.status_code == 200
    assert recorder.last.request.memo.content == "x"


def test_malformed_json_is_400(gateway: RestGateway) -> None:
    response = send(
        gateway,
        "POST",
        "/api/v1/memos",
        content=b'{"content": ',
        headers={"content-type": "application/json"},
    )
    assert_rest_error(response, 400, 3, "invalid JSON body")


def test_json_value_of_the_wrong_type_is_400(gateway: RestGateway) -> None:
    response = send(gateway, "POST", "/api/v1/memos", json={"content": {"nested": 1}})
    assert_rest_error(response, 400, 3, "invalid JSON body")
    assert "content" in response.json()["message"]


def test_body_star_must_be_a_json_object(gateway: RestGateway) -> None:
    response = send(gateway, "POST", "/api/v1/auth/signin", json=[1, 2])
    assert_rest_error(response, 400, 3, "expected a JSON object")


def test_non_json_content_type_is_415(gateway: RestGateway) -> None:
    response = send(
        gateway,
        "POST",
        "/api/v1/memos",
        content=b"content=hello",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert_rest_error(response, 415, 3, "send the body as application/json")


def test_body_without_content_type_is_415_and_never_reaches_the_service(
    gateway: RestGateway, recorder: Recorder
) -> None:
    # Given a JSON body sent with no Content-Type (as a cross-site request may be)
    # When it is posted
    response = send(gateway, "POST", "/api/v1/memos", content=b'{"content": "plain"}')
    # Then it is refused, naming what to send
    assert_rest_error(response, 415, 3, "missing content type: send the body as application/json")
    assert recorder.calls == []


def test_body_over_the_limit_is_413(recorder: Recorder) -> None:
    small = gateway_for(recorder, max_body_bytes=64)
    response = send(small, "POST", "/api/v1/memos", json={"content": "x" * 100})
    assert_rest_error(response, 413, 3, "request body too large")
    assert recorder.calls == []


# --- Query parameters -------------------------------------------------------------------------


def test_query_parameters_fill_fields_by_snake_or_camel_name(
    gateway: RestGateway, recorder: Recorder
) -> None:
    response = send(
        gateway,
        "GET",
        "/api/v1/memos?pageSize=10&page_token=t1&state=ARCHIVED&show_deleted=true"
        "&filter=tag%20in%20%5B%22a%22%5D",
    )
    assert response.status_code == 200, response.text
    request = recorder.last.request
    assert request.page_size == 10
    assert request.page_token == "t1"
    assert request.state == common_pb2.State.ARCHIVED
    assert request.show_deleted is True
    assert request.filter == 'tag in ["a"]'


def test_enum_query_parameter_accepts_a_number(gateway: RestGateway, recorder: Recorder) -> None:
    send(gateway, "GET", "/api/v1/memos?state=2")
    assert recorder.last.request.state == 2


def test_repeated_query_parameters_accumulate_into_a_field_mask(
    gateway: RestGateway, recorder: Recorder
) -> None:
    send(gateway, "GET", "/api/v1/users/1?read_mask=username&readMask=email,avatarUrl")
    assert list(recorder.last.request.read_mask.paths) == ["username", "email", "avatar_url"]


def test_query_parameter_bound_by_the_path_is_ignored(
    gateway: RestGateway, recorder: Recorder
) -> None:
    send(gateway, "GET", "/api/v1/memos/abc?name=memos/zzz")
    assert recorder.last.request.name == "memos/abc"


def test_query_parameter_bound_by_the_body_is_ignored(
    gateway: RestGateway, recorder: Recorder
) -> None:
    send(gateway, "POST", "/api/v1/memos?memo.content=query", json={"content": "body"})
    assert recorder.last.request.memo.content == "body"


def test_unknown_query_parameter_is_400_naming_it(gateway: RestGateway) -> None:
    response = send(gateway, "GET", "/api/v1/memos?pageSise=10")
    assert_rest_error(response, 400, 3, "unknown query parameter 'pageSise'")


def test_unknown_query_parameter_is_ignored_when_not_strict(recorder: Recorder) -> None:
    lenient = gateway_for(recorder, strict_fields=False)
    assert send(lenient, "GET", "/api/v1/memos?pageSise=10").status_code == 200


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("pageSize=ten", "invalid value for query parameter 'pageSize'"),
        ("pageSize=99999999999", "invalid value for query parameter 'pageSize'"),
        ("state=SHINY", "'SHINY' is not one of"),
        ("show_deleted=maybe", "is not a bool"),
        ("pageSize=1&pageSize=2", "is given 2 times but is not repeated"),
    ],
)
def test_bad_query_values_are_400_naming_the_parameter(
    gateway: RestGateway, query: str, text: str
) -> None:
    response = send(gateway, "GET", f"/api/v1/memos?{query}")
    assert_rest_error(response, 400, 3, text)


# --- Responses --------------------------------------------------------------------------------


def test_response_emits_every_field_in_camel_case_with_enum_names(
    gateway: RestGateway, recorder: Recorder
) -> None:
    # Given a service returning a memo with only a few fields set
    recorder.replies["/memos.api.v1.MemoService/GetMemo"] = lambda request, ctx: (
        memo_service_pb2.Memo(name=request.name, content="hi", visibility="PRIVATE")
    )
    # When it is fetched over REST
    response = send(gateway, "GET", "/api/v1/memos/abc")
    # Then defaults are present, names camelCase, enums named, unset messages null
    body = response.json()
    assert response.headers["content-type"] == "application/json"
    assert body["name"] == "memos/abc"
    assert body["visibility"] == "PRIVATE"
    assert body["state"] == "STATE_UNSPECIFIED"
    assert body["pinned"] is False
    assert body["tags"] == []
    assert body["displayTime"] is None
    assert body["property"] is None
    assert "location" not in body  # proto3 optional: has presence, omitted when unset


def test_int64_fields_are_strings_in_responses(gateway: RestGateway, recorder: Recorder) -> None:
    stats = user_service_pb2.UserStats(name="users/1")
    stats.tag_count["work"] = 3
    recorder.replies["/memos.api.v1.UserService/GetUserStats"] = lambda request, ctx: stats
    body = send(gateway, "GET", "/api/v1/users/1:getStats").json()
    assert body["name"] == "users/1"
    assert body["tagCount"] == {"work": 3}


def test_http_body_reply_is_sent_raw_with_its_content_type(
    gateway: RestGateway, recorder: Recorder
) -> None:
    png = b"\x89PNG\r\n\x1a\nfake"
    recorder.replies["/memos.api.v1.UserService/GetUserAvatar"] = lambda request, ctx: (
        httpbody_pb2.HttpBody(content_type="image/png", data=png)
    )
    response = send(gateway, "GET", "/api/v1/users/1/avatar")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.content == png


def test_response_headers_set_by_the_service_are_copied(
    gateway: RestGateway, recorder: Recorder
) -> None:
    def sign_in(request: Any, ctx: RequestContext[Any, Any]) -> Any:
        ctx.response_headers().add("set-cookie", "memos_refresh=abc; HttpOnly")
        ctx.response_headers()["cache-control"] = "no-store"
        return auth_service_pb2.SignInResponse()

    recorder.replies["/memos.api.v1.AuthService/SignIn"] = sign_in
    response = send(gateway, "POST", "/api/v1/auth/signin", json={})
    assert response.status_code == 200
    assert response.headers["set-cookie"] == "memos_refresh=abc; HttpOnly"
    assert response.headers["cache-control"] == "no-store"


def test_service_sees_rest_transport_verb_headers_and_client(
    gateway: RestGateway, recorder: Recorder
) -> None:
    send(gateway, "DELETE", "/api/v1/memos/abc", headers={"Authorization": "Bearer t0k"})
    call = recorder.last
    assert call.transport == "rest"
    assert call.ctx.http_method() == "DELETE"
    assert call.ctx.request_headers()["authorization"] == "Bearer t0k"
    assert call.ctx.client_address() == "198.51.100.7:4321"
    assert current_transport.get() == "connect"  # reset after the call


# --- Errors from services ---------------------------------------------------------------------


def raising(exc: Exception) -> Callable[[Any, Any], Any]:
    def reply(request: Any, ctx: Any) -> Any:
        raise exc

    return reply


def test_connect_error_maps_through_the_error_table(
    gateway: RestGateway, recorder: Recorder
) -> None:
    recorder.replies["/memos.api.v1.MemoService/GetMemo"] = raising(
        ConnectError(Code.NOT_FOUND, "memo not found: memos/abc")
    )
    response = send(gateway, "GET", "/api/v1/memos/abc")
    assert_rest_error(response, 404, 5, "memo not found: memos/abc")


def test_unauthenticated_error_is_401_with_bearer_challenge(
    gateway: RestGateway, recorder: Recorder
) -> None:
    recorder.replies["/memos.api.v1.AuthService/GetCurrentUser"] = raising(
        ConnectError(Code.UNAUTHENTICATED, "authentication required")
    )
    response = send(gateway, "GET", "/api/v1/auth/me")
    assert_rest_error(response, 401, 16, "authentication required")
    assert response.headers["www-authenticate"] == "Bearer"


def test_domain_error_escaping_the_service_is_mapped(
    gateway: RestGateway, recorder: Recorder
) -> None:
    recorder.replies["/memos.api.v1.MemoService/GetMemo"] = raising(NotFoundError("gone"))
    assert_rest_error(send(gateway, "GET", "/api/v1/memos/abc"), 404, 5, "gone")


def test_unexpected_exception_is_500_generic_and_logged_not_leaked(
    gateway: RestGateway, recorder: Recorder, caplog: pytest.LogCaptureFixture
) -> None:
    recorder.replies["/memos.api.v1.MemoService/GetMemo"] = raising(
        RuntimeError("db password is hunter2")
    )
    with caplog.at_level(logging.ERROR, logger="memos.rpc.rest"):
        response = send(gateway, "GET", "/api/v1/memos/abc")
    assert_rest_error(response, 500, 13, GENERIC_INTERNAL_MESSAGE)
    assert "hunter2" not in response.text
    assert any("hunter2" in (r.exc_text or "") for r in caplog.records)


@pytest.mark.parametrize(
    ("kind_name", "status", "code"),
    [("UNAUTHENTICATED", 401, 16), ("PERMISSION_DENIED", 403, 7), ("INTERNAL", 500, 13)],
)
def test_rest_error_response_renders_any_error_kind(kind_name: str, status: int, code: int) -> None:
    from memos.errors import ErrorKind  # noqa: PLC0415

    kind: ErrorKind = ErrorKind[kind_name]
    got_status, headers, body = rest_error_response(kind, "nope")
    assert got_status == status
    assert (b"content-type", b"application/json") in headers
    assert body == b'{"code":%d,"message":"nope","details":[]}' % code
    assert ((b"www-authenticate", b"Bearer") in headers) == (code == 16)


# --- Query types, response_body and "**", on a service of the test's own ------------------------

ECHO_PROTO = """
syntax = "proto3";
package resttest.v1;
import "google/api/annotations.proto";
import "google/protobuf/duration.proto";
import "google/protobuf/field_mask.proto";
import "google/protobuf/timestamp.proto";
import "google/protobuf/wrappers.proto";

service EchoService {
  rpc Echo(EchoRequest) returns (EchoRequest) { option (google.api.http) = {get: "/v1/echo"}; }
  rpc EchoItems(EchoRequest) returns (EchoRequest) {
    option (google.api.http) = {get: "/v1/echo:items" response_body: "items"};
  }
  rpc Fetch(FetchRequest) returns (FetchRequest) {
    option (google.api.http) = {get: "/v1/{path=files/**}"};
  }
}
enum Color { COLOR_UNSPECIFIED = 0; RED = 1; GREEN = 2; }
message Inner { string label = 1; Inner child = 2; }
message EchoRequest {
  repeated string items = 1;
  int64 big = 2;
  uint32 small = 3;
  double ratio = 4;
  bytes blob = 5;
  google.protobuf.Timestamp since = 6;
  google.protobuf.Duration within = 7;
  google.protobuf.Int32Value limit = 8;
  Inner inner = 9;
  map<string, string> labels = 10;
  repeated Color colors = 11;
  bool flag = 12;
}
message FetchRequest { string path = 1; }
"""


@cache
def echo_service() -> Any:
    """Compile ECHO_PROTO with protoc and add it to the default descriptor pool (once)."""
    import tempfile  # noqa: PLC0415

    from grpc_tools import protoc  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "resttest").mkdir()
        (root / "resttest" / "echo.proto").write_text(ECHO_PROTO)
        out = root / "echo.pb"
        well_known = Path(protoc.__file__).parent / "_proto"
        google_api = Path(annotations_pb2.__file__).parents[2]
        code = protoc.main(
            [
                "protoc",
                f"-I{root}",
                f"-I{well_known}",
                f"-I{google_api}",
                f"--descriptor_set_out={out}",
                "resttest/echo.proto",
            ]
        )
        assert code == 0
        files = descriptor_pb2.FileDescriptorSet.FromString(out.read_bytes())
    pool = descriptor_pool.Default()
    pool.AddSerializedFile(files.file[0].SerializeToString())
    return pool.FindServiceByName("resttest.v1.EchoService")


def echo_gateway(recorder: Recorder) -> RestGateway:
    service = echo_service()
    endpoints: dict[str, EndpointUnary[Any, Any]] = {}
    for method in service.methods:
        info: MethodInfo[Any, Any] = MethodInfo(
            name=method.name,
            service_name=service.full_name,
            input=message_factory.GetMessageClass(method.input_type),
            output=message_factory.GetMessageClass(method.output_type),
            idempotency_level=IdempotencyLevel.UNKNOWN,
        )
        endpoints[f"/{service.full_name}/{method.name}"] = recorder.endpoint(info)
        recorder.replies[f"/{service.full_name}/{method.name}"] = lambda request, ctx: request
    return RestGateway(endpoints, Router(routes_for_services([service])))


def test_query_maps_every_scalar_and_well_known_type(recorder: Recorder) -> None:
    # Given a service that echoes its request
    gateway = echo_gateway(recorder)
    blob = base64.urlsafe_b64encode(b"\xfb\xff").decode().rstrip("=")
    # When each kind of field comes in the query string
    response = send(
        gateway,
        "GET",
        "/v1/echo?items=a&items=b,c&big=9007199254740993&small=7&ratio=0.5"
        f"&blob={blob}&since=2024-01-02T03:04:05Z&within=1.5s&limit=3"
        "&inner.label=x&inner.child.label=y&colors=RED&colors=2&flag=1",
    )
    # Then each field holds the parsed value, and the JSON reply renders it back
    assert response.status_code == 200, response.text
    request = recorder.last.request
    assert list(request.items) == ["a", "b,c"]  # repeated params; commas are not split
    assert request.big == 9007199254740993
    assert request.blob == b"\xfb\xff"
    assert request.since.seconds == 1704164645
    assert request.within.ToJsonString() == "1.500s"
    assert request.limit.value == 3
    assert request.inner.child.label == "y"
    assert list(request.colors) == [1, 2]
    body = response.json()
    assert body["big"] == "9007199254740993"
    assert body["small"] == 7
    assert body["colors"] == ["RED", "GREEN"]
    assert body["inner"]["child"]["child"] is None
    assert body["labels"] == {}


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("small=-1", "invalid value for query parameter 'small'"),
        ("blob=%21%21", "invalid value for query parameter 'blob'"),
        ("since=yesterday", "invalid value for query parameter 'since'"),
        ("labels=a", "map fields cannot be set"),
        ("inner=x", "names a message"),
        ("inner.nope=x", "unknown query parameter 'inner.nope'"),
    ],
)
def test_bad_typed_query_values_are_400(recorder: Recorder, query: str, text: str) -> None:
    response = send(echo_gateway(recorder), "GET", f"/v1/echo?{query}")
    assert_rest_error(response, 400, 3, text)


def test_response_body_rule_emits_only_that_field(recorder: Recorder) -> None:
    response = send(echo_gateway(recorder), "GET", "/v1/echo:items?items=a&items=b")
    assert response.json() == ["a", "b"]


def test_double_star_variable_captures_the_rest_of_the_path(recorder: Recorder) -> None:
    send(echo_gateway(recorder), "GET", "/v1/files/a/b%2Fc/d.txt")
    assert recorder.last.request.path == "files/a/b/c/d.txt"
