"""Runs an ASGI app for API Gateway HTTP API events (payload format 2.0).

This is the translation Mangum did for these functions, cut to the one event shape they receive:

* the request: method and path from ``requestContext.http`` (the path percent-decoded, ``/`` when
  empty), the raw query string, the headers lower-cased, ``cookies`` joined into one ``cookie``
  header, the body base64-decoded when API Gateway says so, the caller's address as ``client``,
  ``x-forwarded-proto`` as the scheme (``https`` without it), the event and the Lambda context
  under ``aws.event`` and ``aws.context``;
* the response: repeated headers joined with ``,`` (``set-cookie`` values go to ``cookies``),
  ``content-type: application/json`` when the app set none, the body as text for text types
  (``text/*``, JSON, JavaScript, XML...) that decode as UTF-8 and base64 otherwise;
* an app that fails before it has answered gives ``500 Internal Server Error`` (text/plain).

The app's coroutine is driven directly with this function's event loop marked as running: a
call that never waits on I/O (every call here but an SSO exchange) finishes in that first step,
without a loop iteration, a task or a selector poll. A call that does wait (its coroutine hands
the loop a future, as ``asyncio.to_thread`` does) is carried on as a task of the same loop, in the
same context. Either way the call runs in a copy of the current context, as a task would.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextvars
from asyncio import events
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import unquote

from memos.rpc.asgi import header_text, set_headers

if TYPE_CHECKING:
    from collections.abc import Generator, Mapping

    from memos.rpc.asgi import ASGIApp, Message, RawHeaders, Scope

TEXT_MIME_TYPES: Final = (
    "text/",
    "application/json",
    "application/javascript",
    "application/xml",
    "application/vnd.api+json",
    "application/vnd.oai.openapi",
)
_ASGI_VERSION: Final = {"version": "3.0", "spec_version": "2.0"}
_FAILED_HEADERS: Final = ((b"content-type", b"text/plain; charset=utf-8"),)
_FAILED_BODY: Final = b"Internal Server Error"
_BASE64_PIECE: Final = 3 * 64 * 1024  # a multiple of 3, so pieces encode without padding


class HttpApiAdapter:
    """A Lambda handler running ``app`` for HTTP API (payload 2.0) events."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app
        self._loop = asyncio.new_event_loop()

    def __call__(self, event: Mapping[str, Any], context: Any) -> dict[str, Any]:
        exchange = _Exchange(request_body(event))
        run_on_loop(self._loop, exchange.run(self._app, http_api_scope(event, context)))
        # The body is handed over, not shared: the result then holds the only reference, and
        # drops the raw bytes once they are base64-encoded (a 4 MiB file is not held three times).
        return http_api_result(exchange.status, exchange.headers, exchange.take_body())


def run_on_loop(loop: asyncio.AbstractEventLoop, coroutine: Any) -> None:
    """Run ``coroutine`` to its end: directly while it does not wait, as a task once it does."""
    context = contextvars.copy_context()
    outer = events._get_running_loop()
    events._set_running_loop(loop)
    try:
        waiting_on = context.run(coroutine.send, None)
    except StopIteration:
        return
    except BaseException:
        coroutine.close()
        raise
    finally:
        events._set_running_loop(outer)
    loop.run_until_complete(loop.create_task(_carry_on(coroutine, waiting_on), context=context))


async def _carry_on(coroutine: Any, waiting_on: Any) -> None:
    await _Resumed(coroutine, waiting_on)


class _Resumed:
    """Awaiting it continues a coroutine that already yielded ``waiting_on`` to the loop (what
    ``yield from`` does, from the middle), so the task now running it waits for what it waits
    for and delivers results and cancellation to it."""

    __slots__ = ("_coroutine", "_waiting_on")

    def __init__(self, coroutine: Any, waiting_on: Any) -> None:
        self._coroutine = coroutine
        self._waiting_on = waiting_on

    def __await__(self) -> Generator[Any, Any, None]:
        return _resume(self._coroutine, self._waiting_on)


def _resume(coroutine: Any, waiting_on: Any) -> Generator[Any, Any, None]:
    while True:
        try:
            sent = yield waiting_on
        except BaseException as exc:  # delivered into the coroutine, as the task would
            try:
                waiting_on = coroutine.throw(exc)
            except StopIteration:
                return
        else:
            try:
                waiting_on = coroutine.send(sent)
            except StopIteration:
                return


class _Exchange:
    """One request's receive and send: hands the body over once, collects the response."""

    __slots__ = ("_request", "body", "headers", "started", "status")

    def __init__(self, body: bytes) -> None:
        self._request: Message | None = {"type": "http.request", "body": body, "more_body": False}
        self.status = 500
        self.headers: RawHeaders = []
        self.body = b""
        self.started = False

    def take_body(self) -> bytes:
        body, self.body = self.body, b""
        return body

    async def receive(self) -> Message:
        request, self._request = self._request, None
        return request if request is not None else {"type": "http.disconnect"}

    async def send(self, message: Message) -> None:
        kind = message["type"]
        if kind == "http.response.start" and not self.started:
            self.started = True
            self.status = int(message["status"])
            self.headers = list(message.get("headers", ()))
        elif kind == "http.response.body" and self.started:
            self.body += bytes(message.get("body", b""))
        else:
            raise RuntimeError(f"unexpected ASGI message {kind!r}")

    async def run(self, app: ASGIApp, scope: Scope) -> None:
        try:
            await app(scope, self.receive, self.send)
        except Exception:
            from memos.observability import get_logger  # noqa: PLC0415 - only on this rare path

            get_logger().exception("the ASGI app failed")
            self.status, self.headers, self.body = 500, list(_FAILED_HEADERS), _FAILED_BODY


def request_body(event: Mapping[str, Any]) -> bytes:
    body = event.get("body") or b""
    if event.get("isBase64Encoded", False):
        return base64.b64decode(body)
    return body if isinstance(body, bytes) else str(body).encode()


def http_api_scope(event: Mapping[str, Any], context: Any) -> Scope:
    """The ASGI scope of one HTTP API request."""
    http = event["requestContext"]["http"]
    headers = {str(key).lower(): value for key, value in (event.get("headers") or {}).items()}
    cookies = event.get("cookies")
    if cookies:
        headers["cookie"] = "; ".join(cookies)
    path = http["path"] or "/"
    if "%" in path:
        path = unquote(path)
    scope: Scope = {
        "type": "http",
        "method": http["method"],
        "http_version": "1.1",
        "path": path,
        "raw_path": None,
        "root_path": "",
        "scheme": headers.get("x-forwarded-proto", "https"),
        "query_string": str(event.get("rawQueryString", "")).encode(),
        "server": _server(headers),
        "client": (http["sourceIp"], 0),
        "asgi": _ASGI_VERSION,
        "aws.event": event,
        "aws.context": context,
    }
    set_headers(scope, {key.encode(): str(value).encode() for key, value in headers.items()})
    return scope


def _server(headers: Mapping[str, str]) -> tuple[str, int]:
    host = headers.get("host", "localhost")
    name, colon, port = host.partition(":")
    port = port if colon else headers.get("x-forwarded-port", "80")
    return name, int(port) if port.isascii() and port.isdigit() else 80


def http_api_result(status: int, headers: RawHeaders, body: bytes) -> dict[str, Any]:
    """The HTTP API (payload 2.0) response of an ASGI response."""
    joined: dict[str, str] = {}
    cookies: list[str] = []
    for raw_key, raw_value in headers:
        key, value = header_text(raw_key, raw_value)
        if key == "set-cookie":
            cookies.append(value)
        elif key in joined:
            joined[key] = f"{joined[key]},{value}"
        else:
            joined[key] = value
    content_type = joined.setdefault("content-type", "application/json")
    text = _plain_text(body, content_type)
    is_base64 = text is None
    if text is None:
        encoded = _base64(body)
        del body  # the caller handed it over: free it before the text copy is made
        text = encoded.decode("ascii")
        del encoded
    result: dict[str, Any] = {"statusCode": status, "body": text}
    if joined:
        result["headers"] = joined
    if cookies:
        result["cookies"] = cookies
    result["isBase64Encoded"] = is_base64
    return result


def _base64(data: bytes) -> bytearray:
    """``data`` base64-encoded, a piece at a time into one buffer: the encoder's own output
    buffer for the whole would briefly take twice the encoded size."""
    view = memoryview(data)
    encoded = bytearray(4 * ((len(view) + 2) // 3))
    for start in range(0, len(view), _BASE64_PIECE):
        at = start // 3 * 4
        piece = binascii.b2a_base64(view[start : start + _BASE64_PIECE], newline=False)
        encoded[at : at + len(piece)] = piece
    return encoded


def _plain_text(body: bytes, content_type: str) -> str | None:
    """The body as text when it travels as text, else None (it travels base64-encoded)."""
    if not body:
        return ""
    if any(kind in content_type for kind in TEXT_MIME_TYPES):
        try:
            return body.decode()
        except UnicodeDecodeError:
            pass
    return None
