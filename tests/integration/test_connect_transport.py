"""Connect over the whole app: codecs, errors, interceptors, compression, CORS."""

from __future__ import annotations

import gzip
import io
import json
import logging
from typing import TYPE_CHECKING, Any

import pytest
from google.protobuf import json_format

from memos.api.v1 import memo_service_connect
from memos.api.v1 import memo_service_pb2 as pb
from memos.errors import NotFoundError
from memos.observability import call_line_writer, get_logger
from memos.rpc.app import create_service_app
from memos.rpc.call import current_call
from tests.asgi import Response, call
from tests.conftest import StaticTokenVerifier

if TYPE_CHECKING:
    from collections.abc import Iterator

    from memos.rpc.asgi import ASGIApp

GET_MEMO = "/memos.api.v1.MemoService/GetMemo"
CREATE_MEMO = "/memos.api.v1.MemoService/CreateMemo"
ORIGIN = "http://localhost:3001"


class ProbeMemoService(memo_service_connect.MemoService):
    """Reports what the service layer sees of the call; fails on request. Built on the generated
    base, so the methods it doesn't define answer UNIMPLEMENTED."""

    async def get_memo(self, request: pb.GetMemoRequest, ctx: Any) -> pb.Memo:
        info = current_call()
        if request.name == "memos/missing":
            raise NotFoundError("memo not found: memos/missing")
        if request.name == "memos/boom":
            raise RuntimeError("database password=hunter2 leaked")
        if request.name == "memos/big":
            return pb.Memo(name=request.name, content="x" * 5000)
        who = info.identity.username if info.identity else "anonymous"
        seen = f"{who}|{info.client_ip}|{info.user_agent}|{info.transport}"
        return pb.Memo(name=request.name, content=seen)

    async def create_memo(self, request: pb.CreateMemoRequest, ctx: Any) -> pb.Memo:
        return pb.Memo(name="memos/new", content=request.memo.content)


@pytest.fixture
def app() -> ASGIApp:
    return create_service_app(
        ProbeMemoService(), verifier=StaticTokenVerifier(), cors_origins=[ORIGIN]
    )


def connect_binary(app: ASGIApp, procedure: str, message: Any, **headers: str) -> Response:
    return call(
        app,
        "POST",
        procedure,
        body=message.SerializeToString(),
        headers={"content-type": "application/proto", **headers},
    )


def connect_json(app: ASGIApp, procedure: str, body: bytes, **headers: str) -> Response:
    return call(
        app, "POST", procedure, body=body, headers={"content-type": "application/json", **headers}
    )


def test_binary_call_returns_a_binary_message(app: ASGIApp) -> None:
    response = connect_binary(app, GET_MEMO, pb.GetMemoRequest(name="memos/abc"))

    assert response.status == 200
    assert response.header("content-type") == "application/proto"
    assert pb.Memo.FromString(response.body).name == "memos/abc"


def test_json_call_accepts_camel_case_and_returns_camel_case(app: ASGIApp) -> None:
    response = connect_json(
        app, CREATE_MEMO, b'{"memo": {"content": "hi"}, "memoId": "x"}', authorization="Bearer good"
    )

    assert response.status == 200
    assert response.json() == {"name": "memos/new", "content": "hi"}


def test_json_call_accepts_snake_case_field_names(app: ASGIApp) -> None:
    response = connect_json(
        app, CREATE_MEMO, b'{"memo_id": "x", "memo": {"content": "a"}}', authorization="Bearer good"
    )

    assert response.status == 200


def test_unimplemented_method_answers_501_naming_the_method(app: ASGIApp) -> None:
    response = connect_binary(app, "/memos.api.v1.MemoService/ListMemos", pb.ListMemosRequest())

    assert response.status == 501
    assert response.json() == {
        "code": "unimplemented",
        "message": "memos.api.v1.MemoService/ListMemos is not implemented yet",
    }


@pytest.mark.parametrize(
    ("content_type", "body", "fragment"),
    [
        ("application/json", b"{not json", "invalid JSON body"),
        ("application/json", b'{"nosuchfield": 1}', "nosuchfield"),
        ("application/json", b'{"name": 5}', "invalid JSON body"),
        ("application/proto", b"\xff\xff\xff\xff", "invalid protobuf body"),
    ],
)
def test_undecodable_bodies_are_invalid_argument_not_500(
    app: ASGIApp, content_type: str, body: bytes, fragment: str
) -> None:
    response = call(app, "POST", GET_MEMO, body=body, headers={"content-type": content_type})

    assert response.status == 400
    assert response.json()["code"] == "invalid_argument"
    assert fragment in response.json()["message"]


def test_wrong_content_type_is_415_with_a_clear_message(app: ASGIApp) -> None:
    response = call(app, "POST", GET_MEMO, body=b"x", headers={"content-type": "text/plain"})

    assert response.status == 415
    assert "application/proto or application/json" in response.json()["message"]


def test_grpc_content_types_are_refused_cleanly(app: ASGIApp) -> None:
    response = call(app, "POST", GET_MEMO, body=b"", headers={"content-type": "application/grpc"})

    assert response.status == 415


def test_unknown_procedure_is_404_and_says_the_procedure_is_unknown(app: ASGIApp) -> None:
    response = connect_binary(app, "/memos.api.v1.MemoService/Nope", pb.GetMemoRequest())

    assert response.status == 404
    assert response.json() == {
        "code": "unimplemented",
        "message": "unknown procedure: /memos.api.v1.MemoService/Nope",
    }


def test_missing_resource_is_404_and_names_the_resource(app: ASGIApp) -> None:
    response = connect_binary(app, GET_MEMO, pb.GetMemoRequest(name="memos/missing"))

    assert response.status == 404
    assert response.json() == {"code": "not_found", "message": "memo not found: memos/missing"}


def test_get_on_a_connect_path_is_refused(app: ASGIApp) -> None:
    response = call(app, "GET", GET_MEMO)

    assert response.status == 405
    assert response.header("allow") == "POST"


def test_unexpected_failure_is_internal_with_a_generic_message(
    app: ASGIApp, caplog: pytest.LogCaptureFixture
) -> None:
    response = connect_binary(app, GET_MEMO, pb.GetMemoRequest(name="memos/boom"))

    assert response.status == 500
    assert response.json() == {"code": "internal", "message": "internal server error"}
    assert "hunter2" not in response.body.decode()
    assert any(r.exc_info and r.exc_info[0] is RuntimeError for r in caplog.records)


def test_protected_method_without_credentials_is_unauthenticated(app: ASGIApp) -> None:
    response = connect_json(app, CREATE_MEMO, b"{}")

    assert response.status == 401
    assert response.json() == {"code": "unauthenticated", "message": "authentication required"}


@pytest.mark.parametrize(
    "authorization", ["Bearer nope", "Basic Zm9vOmJhcg==", "Bearer", "good", ""]
)
def test_protected_method_with_bad_credentials_is_unauthenticated(
    app: ASGIApp, authorization: str
) -> None:
    response = connect_json(app, CREATE_MEMO, b"{}", authorization=authorization)

    assert response.status == 401


def test_public_method_with_an_invalid_token_runs_anonymously(app: ASGIApp) -> None:
    response = connect_binary(
        app, GET_MEMO, pb.GetMemoRequest(name="memos/a"), authorization="Bearer expired"
    )

    assert response.status == 200
    assert pb.Memo.FromString(response.body).content.startswith("anonymous|")


def test_public_method_with_a_valid_token_identifies_the_caller(app: ASGIApp) -> None:
    response = connect_binary(
        app, GET_MEMO, pb.GetMemoRequest(name="memos/a"), authorization="Bearer good"
    )

    assert pb.Memo.FromString(response.body).content.startswith("alice|")


def test_metadata_carries_client_ip_from_forwarded_for_and_user_agent(app: ASGIApp) -> None:
    response = connect_binary(
        app,
        GET_MEMO,
        pb.GetMemoRequest(name="memos/a"),
        **{"x-forwarded-for": "198.51.100.1, 10.0.0.1", "user-agent": "probe/1.0"},
    )

    assert pb.Memo.FromString(response.body).content == "anonymous|198.51.100.1|probe/1.0|connect"


def test_success_is_marked_not_cacheable_and_errors_are_not(app: ASGIApp) -> None:
    ok = connect_binary(app, GET_MEMO, pb.GetMemoRequest(name="memos/a"))
    missing = connect_binary(app, GET_MEMO, pb.GetMemoRequest(name="memos/missing"))

    assert ok.header("cache-control") == "no-cache, no-store, must-revalidate"
    assert missing.header("cache-control") is None


def test_small_responses_are_not_compressed_even_when_gzip_is_accepted(app: ASGIApp) -> None:
    response = connect_binary(
        app, GET_MEMO, pb.GetMemoRequest(name="memos/a"), **{"accept-encoding": "gzip"}
    )

    assert response.header("content-encoding") is None
    assert pb.Memo.FromString(response.body).name == "memos/a"


def test_large_responses_are_gzipped_when_accepted(app: ASGIApp) -> None:
    response = connect_binary(
        app, GET_MEMO, pb.GetMemoRequest(name="memos/big"), **{"accept-encoding": "gzip, br"}
    )

    assert response.header("content-encoding") == "gzip"
    assert len(pb.Memo.FromString(gzip.decompress(response.body)).content) == 5000


def test_gzipped_requests_are_accepted(app: ASGIApp) -> None:
    body = gzip.compress(pb.GetMemoRequest(name="memos/zipped").SerializeToString())

    response = call(
        app,
        "POST",
        GET_MEMO,
        body=body,
        headers={"content-type": "application/proto", "content-encoding": "gzip"},
    )

    assert pb.Memo.FromString(response.body).name == "memos/zipped"


@pytest.fixture
def log_stream() -> Iterator[io.StringIO]:
    """What the call lines and the Powertools logger's handler write, captured for the test."""
    handler = get_logger().registered_handler
    assert isinstance(handler, logging.StreamHandler)
    writer = call_line_writer()
    stream = io.StringIO()
    previous = handler.setStream(stream)
    previous_calls, writer.stream = writer.stream, stream
    yield stream
    handler.setStream(previous)
    writer.stream = previous_calls


def test_one_log_line_per_call_without_tokens_or_bodies(
    app: ASGIApp, log_stream: io.StringIO
) -> None:
    connect_json(
        app,
        CREATE_MEMO,
        b'{"memo": {"content": "secret diary"}}',
        authorization="Bearer good",
        cookie="memos_refresh=cookie-value",
    )

    lines = [json.loads(text) for text in log_stream.getvalue().splitlines()]
    assert len(lines) == 1
    line = lines[0]
    assert line["level"] == "INFO"
    assert line["message"] == "rpc"
    assert line["service"] == "memos"
    assert line["procedure"] == CREATE_MEMO
    assert line["transport"] == "connect"
    assert line["code"] == "ok"
    assert isinstance(line["latency_ms"], float)
    assert line["request_id"]
    text = json.dumps(line)
    for secret in ("good", "secret diary", "cookie-value"):
        assert secret not in text


def test_a_failed_call_logs_its_code_and_a_server_fault_at_error(
    app: ASGIApp, log_stream: io.StringIO
) -> None:
    connect_binary(app, GET_MEMO, pb.GetMemoRequest(name="memos/missing"))
    connect_binary(app, GET_MEMO, pb.GetMemoRequest(name="memos/boom"))

    lines = [json.loads(text) for text in log_stream.getvalue().splitlines()]
    calls = [(line["level"], line["code"]) for line in lines if line["message"] == "rpc"]
    assert calls == [("INFO", "not_found"), ("ERROR", "internal")]


def test_json_responses_are_compact_with_the_same_document(app: ASGIApp) -> None:
    content = 'caf\u00e9 "quoted", spaced: out'
    body = json.dumps({"memo": {"content": content}}).encode()

    response = connect_json(app, CREATE_MEMO, body, authorization="Bearer good")

    assert response.status == 200
    assert response.header("content-type") == "application/json"
    expected = json_format.MessageToJson(pb.Memo(name="memos/new", content=content))
    assert response.json() == json.loads(expected)
    assert response.body == json.dumps(json.loads(expected), separators=(",", ":")).encode()
    assert b"\n" not in response.body
    assert b"\\u00e9" in response.body  # non-ASCII still escaped, as the library wrote it


def test_connect_error_bodies_are_compact(app: ASGIApp) -> None:
    response = connect_binary(app, GET_MEMO, pb.GetMemoRequest(name="memos/missing"))

    assert response.body == b'{"code":"not_found","message":"memo not found: memos/missing"}'


def test_cors_headers_are_on_errors_too(app: ASGIApp) -> None:
    response = connect_json(app, CREATE_MEMO, b"{}", origin=ORIGIN)

    assert response.status == 401
    assert response.header("access-control-allow-origin") == ORIGIN
    assert response.header("access-control-allow-credentials") == "true"


@pytest.mark.parametrize("body", [b"[]", b'"x"', b"", b"42"])
def test_json_bodies_that_are_not_objects_are_invalid_argument(app: ASGIApp, body: bytes) -> None:
    response = connect_json(app, GET_MEMO, body)

    assert response.status == 400
    assert response.json()["code"] == "invalid_argument"
