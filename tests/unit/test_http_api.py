"""The Lambda entry's translation between HTTP API (payload 2.0) events and an ASGI app."""

from __future__ import annotations

import asyncio
import base64
import contextvars
from typing import TYPE_CHECKING, Any

import pytest

from memos.rpc.http_api import HttpApiAdapter

if TYPE_CHECKING:
    from memos.rpc.asgi import Message, RawHeaders, Receive, Scope, Send


def http_api_event(**overrides: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": "/api/v1/memos",
        "rawQueryString": "pageSize=2&filter=a%20b",
        "cookies": ["memos_refresh=abc", "theme=dark"],
        "headers": {
            "Content-Type": "application/json",
            "host": "abc.execute-api.us-east-1.amazonaws.com",
            "x-forwarded-proto": "https",
            "x-forwarded-port": "443",
        },
        "requestContext": {
            "http": {"method": "POST", "path": "/api/v1/memos/a%2Fb", "sourceIp": "198.51.100.7"}
        },
        "body": base64.b64encode(b'{"x": 1}').decode(),
        "isBase64Encoded": True,
    }
    event.update(overrides)
    return event


class Recorder:
    """An ASGI app that records what it was given and answers with a fixed response."""

    def __init__(
        self, status: int = 200, headers: RawHeaders | None = None, body: bytes = b""
    ) -> None:
        self.status = status
        self.headers = headers or []
        self.body = body
        self.scope: Scope = {}
        self.received: list[Message] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.scope = scope
        self.received = [await receive(), await receive()]
        await send({"type": "http.response.start", "status": self.status, "headers": self.headers})
        await send({"type": "http.response.body", "body": self.body, "more_body": False})


def test_the_scope_carries_the_request_as_api_gateway_describes_it() -> None:
    # Given an HTTP API event with cookies, a percent-encoded path and a base64 body
    app = Recorder()
    context = object()
    event = http_api_event()

    # When the adapter runs the app for it
    HttpApiAdapter(app)(event, context)

    # Then the app sees the decoded request, the event and the Lambda context
    scope = app.scope
    assert scope["method"] == "POST"
    assert scope["path"] == "/api/v1/memos/a/b"
    assert scope["query_string"] == b"pageSize=2&filter=a%20b"
    assert scope["scheme"] == "https"
    assert scope["client"] == ("198.51.100.7", 0)
    assert scope["server"] == ("abc.execute-api.us-east-1.amazonaws.com", 443)
    headers = dict(scope["headers"])
    assert headers[b"content-type"] == b"application/json"
    assert headers[b"cookie"] == b"memos_refresh=abc; theme=dark"
    assert scope["aws.event"] is event
    assert scope["aws.context"] is context
    assert app.received == [
        {"type": "http.request", "body": b'{"x": 1}', "more_body": False},
        {"type": "http.disconnect"},
    ]


def test_a_plain_text_body_and_an_empty_path_are_taken_as_they_are() -> None:
    # Given an event whose body is not base64 and whose path is empty
    app = Recorder()
    event = http_api_event(body="héllo", isBase64Encoded=False)
    event["requestContext"]["http"]["path"] = ""

    # When the adapter runs the app for it
    HttpApiAdapter(app)(event, None)

    # Then the body arrives as UTF-8 and the path as the root
    assert app.received[0]["body"] == "héllo".encode()
    assert app.scope["path"] == "/"


def test_json_responses_are_text_and_repeated_headers_are_joined() -> None:
    # Given an app answering JSON with two Vary headers and two cookies
    app = Recorder(
        201,
        [
            (b"content-type", b"application/json"),
            (b"vary", b"Origin"),
            (b"vary", b"Accept-Encoding"),
            (b"set-cookie", b"a=1"),
            (b"set-cookie", b"b=2"),
        ],
        b'{"ok":true}',
    )

    # When the adapter runs it
    result = HttpApiAdapter(app)(http_api_event(), None)

    # Then API Gateway gets the body as text, the headers joined and the cookies apart
    assert result == {
        "statusCode": 201,
        "body": '{"ok":true}',
        "headers": {"content-type": "application/json", "vary": "Origin,Accept-Encoding"},
        "cookies": ["a=1", "b=2"],
        "isBase64Encoded": False,
    }


def test_binary_responses_are_base64_and_a_missing_content_type_reads_as_json() -> None:
    # Given one app answering protobuf and one answering without a content type
    proto = Recorder(200, [(b"content-type", b"application/proto")], b"\x08\x01\xff")
    bare = Recorder(204)

    # When the adapter runs each
    proto_result = HttpApiAdapter(proto)(http_api_event(), None)
    bare_result = HttpApiAdapter(bare)(http_api_event(), None)

    # Then protobuf travels base64-encoded, and an empty answer is labelled JSON like before
    assert proto_result["isBase64Encoded"] is True
    assert base64.b64decode(proto_result["body"]) == b"\x08\x01\xff"
    assert bare_result == {
        "statusCode": 204,
        "body": "",
        "headers": {"content-type": "application/json"},
        "isBase64Encoded": False,
    }


def test_an_app_that_fails_answers_a_plain_500() -> None:
    # Given an app that raises before answering
    async def failing(scope: Scope, receive: Receive, send: Send) -> None:
        raise ValueError("boom")

    # When the adapter runs it
    result = HttpApiAdapter(failing)(http_api_event(), None)

    # Then the client gets a generic 500, never the error's text
    assert result["statusCode"] == 500
    assert result["body"] == "Internal Server Error"
    assert result["headers"] == {"content-type": "text/plain; charset=utf-8"}


CALL_MARK: contextvars.ContextVar[str] = contextvars.ContextVar("call_mark", default="unset")


def test_a_call_that_waits_on_a_thread_finishes_in_its_own_context() -> None:
    # Given an app that waits for work in a thread (as an SSO exchange does) after setting a
    # context variable, and reads it back afterwards
    seen: list[str] = []

    async def waiting(scope: Scope, receive: Receive, send: Send) -> None:
        CALL_MARK.set("inside")
        answer = await asyncio.to_thread(lambda: b"from a thread")
        await asyncio.sleep(0)
        seen.append(CALL_MARK.get())
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": answer})

    adapter = HttpApiAdapter(waiting)

    # When the adapter runs it twice
    first = adapter(http_api_event(), None)
    second = adapter(http_api_event(), None)

    # Then both calls finish, each kept its variable, and nothing leaked out of the calls
    assert first["body"] == second["body"] == "from a thread"
    assert seen == ["inside", "inside"]
    assert CALL_MARK.get() == "unset"


def test_no_event_loop_is_left_running_after_a_call() -> None:
    # Given an adapter around an app that answers at once
    adapter = HttpApiAdapter(Recorder())

    # When it has served a call
    adapter(http_api_event(), None)

    # Then nothing outside the call sees a running loop
    with pytest.raises(RuntimeError):
        asyncio.get_running_loop()


@pytest.mark.parametrize("size", [1, 2, 3, 196_607, 196_608, 196_609, 4 * 1024 * 1024 + 1])
def test_binary_bodies_of_any_length_are_base64_encoded_exactly(size: int) -> None:
    # Given an app answering bytes of a length around the encoder's piece size
    data = bytes(range(256)) * (size // 256) + bytes(range(size % 256))
    app = Recorder(200, [(b"content-type", b"application/octet-stream")], data)

    # When the adapter runs it
    result = HttpApiAdapter(app)(http_api_event(), None)

    # Then the body is the standard base64 of those bytes
    assert result["isBase64Encoded"] is True
    assert result["body"] == base64.b64encode(data).decode()
