"""Hostile and malformed requests over both transports: each is refused at once with a clear
4xx naming the problem, never a 500, never a stall.

Connect errors are ``{"code": "<name>", "message"}``, REST errors ``{"code": <number>, ...}``;
both use the same HTTP status and the same message for the same fault.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import tracemalloc
import zlib
from typing import TYPE_CHECKING, Any

import pytest
from msgspec import Struct, field

from memos.api.v1 import memo_service_connect
from memos.api.v1 import memo_service_pb2 as pb
from memos.config import Settings
from memos.rpc.app import create_service_app
from memos.rpc.call import current_call
from tests.conftest import StaticTokenVerifier

if TYPE_CHECKING:
    from collections.abc import Sequence

    from memos.rpc.asgi import ASGIApp, Message

LIMIT = 1024 * 1024
CONNECT_CREATE = "/memos.api.v1.MemoService/CreateMemo"
REST_CREATE = "/api/v1/memos"
JSON = (b"content-type", b"application/json")
GZIP = (b"content-encoding", b"gzip")
SIGNED_IN = (b"authorization", b"Bearer good")
# Connect's name and REST's number for invalid_argument.
INVALID_ARGUMENT = {"connect": "invalid_argument", "rest": 3}
PATHS = {"connect": CONNECT_CREATE, "rest": REST_CREATE}
GOOD_BODY = b'{"content": "hello"}'
CONNECT_BODY = b'{"memo": {"content": "hello"}}'


class EchoMemoService(memo_service_connect.MemoService):
    """Creates nothing: echoes the content and the caller's User-Agent as the service saw it."""

    def __init__(self) -> None:
        self.calls = 0

    async def create_memo(self, request: pb.CreateMemoRequest, ctx: Any) -> pb.Memo:
        self.calls += 1
        return pb.Memo(
            name="memos/new", content=request.memo.content, snippet=current_call().user_agent
        )


class Reply(Struct):
    status: int
    body: bytes
    chunks_read: int = 0
    headers: dict[str, str] = field(default_factory=dict)

    def error(self) -> tuple[Any, str]:
        document = json.loads(self.body)
        return document["code"], document["message"]


@pytest.fixture
def service() -> EchoMemoService:
    return EchoMemoService()


@pytest.fixture
def app(service: EchoMemoService) -> ASGIApp:
    settings = Settings(max_request_bytes=LIMIT)
    return create_service_app(service, settings=settings, verifier=StaticTokenVerifier())


def send(
    app: ASGIApp,
    method: str,
    path: str,
    *,
    chunks: Sequence[bytes] = (b"",),
    headers: Sequence[tuple[bytes, bytes]] = (),
    query: bytes = b"",
) -> Reply:
    """One signed-in request with raw header bytes and the body in the given chunks; counts the
    chunks the app actually read."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query,
        "headers": [SIGNED_IN, *headers],
        "client": ("203.0.113.9", 50000),
        "server": ("testserver", 80),
    }
    pending = list(chunks)
    read = 0
    sent: list[Message] = []

    async def receive() -> Message:
        nonlocal read
        if not pending:
            return {"type": "http.disconnect"}
        read += 1
        chunk = pending.pop(0)
        return {"type": "http.request", "body": chunk, "more_body": bool(pending)}

    async def record(message: Message) -> None:
        sent.append(message)

    async def run() -> None:
        await app(scope, receive, record)

    asyncio.run(run())
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(bytes(m.get("body", b"")) for m in sent if m["type"] == "http.response.body")
    names = {bytes(k).decode().lower(): bytes(v).decode("latin-1") for k, v in start["headers"]}
    return Reply(start["status"], body, read, names)


def body_for(transport: str, json_body: bytes = GOOD_BODY) -> bytes:
    """REST posts the memo itself (``body: "memo"``); Connect posts the whole request."""
    return json_body if transport == "rest" else b'{"memo": ' + json_body + b"}"


def assert_refused(reply: Reply, transport: str, status: int, text: str) -> None:
    assert reply.status == status, reply.body
    code, message = reply.error()
    assert code == INVALID_ARGUMENT[transport]
    assert text in message


BOTH = pytest.mark.parametrize("transport", ["connect", "rest"])


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    """About 64 KiB of gzip that inflates to 64 MiB of zeros."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = b"\0" * (1 << 20)
    return b"".join(compressor.compress(zeros) for _ in range(64)) + compressor.flush()


# --- 1. Gzip bombs ----------------------------------------------------------------------------


@BOTH
def test_gzip_bomb_is_refused_at_the_limit_without_inflating_it_whole(
    app: ASGIApp, service: EchoMemoService, gzip_bomb: bytes, transport: str
) -> None:
    # Given a small gzip body that would inflate to 64 times the request limit
    assert len(gzip_bomb) < LIMIT
    # When it is sent
    tracemalloc.start()
    try:
        reply = send(app, "POST", PATHS[transport], chunks=[gzip_bomb], headers=[JSON, GZIP])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Then it is refused as too large, having inflated little more than the limit
    assert_refused(reply, transport, 413, f"request body too large: the limit is {LIMIT} bytes")
    assert peak < 8 * LIMIT
    assert service.calls == 0


@BOTH
def test_gzip_body_within_the_limit_is_served(
    app: ASGIApp, service: EchoMemoService, transport: str
) -> None:
    # Given a well-formed gzip body
    body = gzip.compress(body_for(transport))
    # When it is sent
    reply = send(app, "POST", PATHS[transport], chunks=[body], headers=[JSON, GZIP])
    # Then the service receives it inflated
    assert reply.status == 200, reply.body
    assert b"hello" in reply.body
    assert service.calls == 1


# --- 2. Malformed input is 400, never 500 -----------------------------------------------------


@BOTH
@pytest.mark.parametrize(
    ("problem", "mangle", "message"),
    [
        ("truncated", lambda z: z[:-6], "invalid gzip request body: the stream is truncated"),
        ("header only", lambda z: z[:10], "invalid gzip request body: the stream is truncated"),
        ("corrupt", lambda z: z[:10] + b"\xff" * 8 + z[18:], "invalid gzip request body"),
        ("not gzip", lambda z: b"plain text", "invalid gzip request body: not gzip data"),
        ("trailing junk", lambda z: z + b"junk", "unexpected bytes after the gzip data"),
    ],
)
def test_broken_gzip_body_is_400_naming_the_problem(
    app: ASGIApp, transport: str, problem: str, mangle: Any, message: str
) -> None:
    # Given a gzip body that is broken in some way
    body = mangle(gzip.compress(body_for(transport)))
    # When it is sent
    reply = send(app, "POST", PATHS[transport], chunks=[body], headers=[JSON, GZIP])
    # Then it is a 400 naming the problem
    assert_refused(reply, transport, 400, message)


@BOTH
@pytest.mark.parametrize(
    ("problem", "json_body", "message"),
    [
        ("deep array", b"[" * 10_000, "invalid JSON body: nested too deeply"),
        ("deep object", b'{"content": ' + b"[" * 10_000 + b"}", "nested too deeply"),
        ("5,000 digits", b'{"content": ' + b"7" * 5000 + b"}", "a number has too many digits"),
        ("not UTF-8", b'{"content": "\xff"}', "invalid JSON body: not UTF-8"),
        ("lone surrogate", b'{"visibility": "\\ud800"}', "holds an unpaired surrogate"),
        ("surrogate key", b'{"\\udc00": 1}', "holds an unpaired surrogate"),
    ],
)
def test_malformed_json_body_is_400_naming_the_problem(
    app: ASGIApp,
    service: EchoMemoService,
    transport: str,
    problem: str,
    json_body: bytes,
    message: str,
) -> None:
    # Given a JSON body the parser cannot take
    body = body_for(transport, json_body)
    # When it is sent
    reply = send(app, "POST", PATHS[transport], chunks=[body], headers=[JSON])
    # Then it is a 400 naming the problem, and no service ran
    assert_refused(reply, transport, 400, message)
    assert service.calls == 0


def test_rest_query_integer_of_5000_digits_is_400_without_echoing_it(app: ASGIApp) -> None:
    # Given a page size of 5,000 digits in the query string
    path = "/api/v1/memos"
    # When it is sent
    reply = send(app, "GET", path, query=b"pageSize=" + b"7" * 5000)
    # Then it is a 400 naming the parameter, quoting only the start of the value
    assert_refused(reply, "rest", 400, "query parameter 'pageSize'")
    _, message = reply.error()
    assert "is out of range" in message
    assert len(message) < 200


@BOTH
def test_header_value_that_is_not_utf8_is_read_as_latin1_not_fatal(
    app: ASGIApp, transport: str
) -> None:
    # Given a User-Agent carrying a byte that is not UTF-8 (a legacy client's Latin-1 "é")
    agent = (b"user-agent", b"caf\xe9-client")
    # When a call is made with it
    reply = send(app, "POST", PATHS[transport], chunks=[body_for(transport)], headers=[JSON, agent])
    # Then the call is served and the service sees the header read as Latin-1
    assert reply.status == 200, reply.body
    assert json.loads(reply.body)["snippet"] == "café-client"


# --- 3. Oversized bodies ----------------------------------------------------------------------


@BOTH
def test_body_declared_over_the_limit_is_413_before_it_is_read(
    app: ASGIApp, service: EchoMemoService, transport: str
) -> None:
    # Given a request whose Content-Length is over the limit
    declared = (b"content-length", str(LIMIT + 1).encode())
    # When it is sent
    reply = send(app, "POST", PATHS[transport], chunks=[b"{"], headers=[JSON, declared])
    # Then it is refused naming the limit, without reading a byte of it
    assert_refused(reply, transport, 413, f"request body too large: the limit is {LIMIT} bytes")
    assert reply.chunks_read == 0
    assert service.calls == 0


@BOTH
def test_body_growing_past_the_limit_is_413_without_reading_the_rest(
    app: ASGIApp, transport: str
) -> None:
    # Given a body with no Content-Length that arrives in pieces, going past the limit
    piece = b" " * (LIMIT // 2 + 1)
    # When it is sent
    reply = send(app, "POST", PATHS[transport], chunks=[piece, piece, piece], headers=[JSON])
    # Then it is refused as soon as the limit is passed
    assert_refused(reply, transport, 413, f"request body too large: the limit is {LIMIT} bytes")
    assert reply.chunks_read == 2


# --- 5. Cross-site requests -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "shown"),
    [
        (b"application/x-www-form-urlencoded", "unsupported content type"),
        (b"multipart/form-data; boundary=x", "unsupported content type"),
        (b"text/plain", "unsupported content type"),
        (None, "missing content type"),
    ],
)
def test_rest_body_without_a_json_content_type_is_415(
    app: ASGIApp, service: EchoMemoService, content_type: bytes | None, shown: str
) -> None:
    # Given what a plain HTML form on another site (or a beacon) can send: a body that is
    # form-encoded, multipart, text/plain or untyped - even when it holds valid JSON
    headers = [(b"content-type", content_type)] if content_type else []
    # When it is posted to a state-changing route
    reply = send(app, "POST", REST_CREATE, chunks=[GOOD_BODY], headers=headers)
    # Then it is refused, and no service ran
    assert_refused(reply, "rest", 415, f"{shown}")
    assert "send the body as application/json" in reply.error()[1]
    assert service.calls == 0


@pytest.mark.parametrize("verb", ["POST", "PATCH", "DELETE"])
def test_rest_state_change_declaring_a_form_type_is_415_even_without_a_body(
    app: ASGIApp, service: EchoMemoService, verb: str
) -> None:
    # Given a form submission with no fields, on any verb that changes state
    form = (b"content-type", b"application/x-www-form-urlencoded")
    # When it is sent to a route of that verb
    path = REST_CREATE if verb == "POST" else "/api/v1/memos/abc"
    reply = send(app, verb, path, headers=[form])
    # Then it is refused before routing reaches a service
    assert_refused(reply, "rest", 415, "unsupported content type")
    assert service.calls == 0


def test_rest_delete_without_body_or_content_type_is_served(app: ASGIApp) -> None:
    # Given a DELETE with no body and no Content-Type (what curl and fetch send)
    # When it is sent
    reply = send(app, "DELETE", "/api/v1/memos/abc")
    # Then it reaches the service (here unimplemented), not the 415 rule
    assert reply.status == 501
    assert "not implemented" in reply.error()[1]


def test_rest_json_body_with_charset_is_served(app: ASGIApp, service: EchoMemoService) -> None:
    # Given a JSON body whose type carries a charset
    typed = (b"content-type", b"application/json; charset=utf-8")
    # When it is posted
    reply = send(app, "POST", REST_CREATE, chunks=[GOOD_BODY], headers=[typed])
    # Then it is served
    assert reply.status == 200, reply.body
    assert service.calls == 1


def test_connect_refuses_form_content_types_too(app: ASGIApp, service: EchoMemoService) -> None:
    # Given a form post to a Connect procedure
    form = (b"content-type", b"application/x-www-form-urlencoded")
    # When it is sent
    reply = send(app, "POST", CONNECT_CREATE, chunks=[CONNECT_BODY], headers=[form])
    # Then Connect refuses it the same way
    assert_refused(reply, "connect", 415, "unsupported content type")
    assert service.calls == 0
