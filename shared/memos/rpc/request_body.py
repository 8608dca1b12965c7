"""Reading request bodies safely, for both transports.

One size rule: a body larger than the request limit is refused with 413 and the message
:func:`too_large_message`, whether its ``Content-Length`` says so (refused before anything is
read), it grows past the limit while being read, or it inflates past the limit when
``Content-Encoding: gzip`` (inflated piece by piece, never more than the limit plus one byte, so
a small gzip bomb costs no more than an honest body of the limit's size).

JSON is parsed by :func:`load_json`, which turns every way the parser can fail (not UTF-8,
malformed, nested too deeply, a number too long to convert) into :class:`BodyRefused`.
"""

from __future__ import annotations

import json
import re
import zlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from memos.rpc.asgi import Receive

SUPPORTED_ENCODINGS = ("identity", "gzip")
_GZIP_WINDOW = 16 + zlib.MAX_WBITS  # zlib's flag for "gzip header and trailer"
_INFLATE_STEP = 64 * 1024
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


class BodyRefused(Exception):
    """A request body the server will not take; ``http_status`` is 400, 413 or 415."""

    def __init__(self, message: str, http_status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.http_status = http_status


def too_large_message(limit: int) -> str:
    return f"request body too large: the limit is {limit} bytes"


def _too_large(limit: int) -> BodyRefused:
    return BodyRefused(too_large_message(limit), 413)


def check_declared_length(content_length: str | None, limit: int) -> None:
    """Refuse a body whose ``Content-Length`` is over ``limit`` before reading it."""
    text = (content_length or "").strip()
    if text.isascii() and text.isdigit() and int(text) > limit:
        raise _too_large(limit)


async def read_body(receive: Receive, limit: int) -> bytes:
    """The request body, refused as soon as it grows past ``limit`` bytes."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = bytes(message.get("body", b""))
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def content_encoding(value: str | None) -> str:
    """The request's content coding, lower case; ``identity`` when none is given."""
    return (value or "").strip().lower() or "identity"


async def read_decoded_body(
    receive: Receive, *, encoding_header: str | None, length_header: str | None, limit: int
) -> bytes:
    """A JSON transport's body (REST and its extension routes) with its coding removed: an
    unsupported coding is 415, a body over ``limit`` (declared, read or inflated) 413.

    Connect reads its own: an unknown coding is a Connect error there, not a 415.
    """
    encoding = content_encoding(encoding_header)
    if encoding not in SUPPORTED_ENCODINGS:
        raise BodyRefused(
            f"unsupported content encoding {encoding!r}: send the body as is or gzipped", 415
        )
    check_declared_length(length_header, limit)
    return decode_content(await read_body(receive, limit), encoding, limit)


def decode_content(body: bytes, encoding: str, limit: int) -> bytes:
    """The body with its content coding (identity or gzip) removed, at most ``limit`` bytes.

    The caller has already refused codings outside :data:`SUPPORTED_ENCODINGS`.
    """
    if encoding != "gzip" or not body:
        return body
    return inflate_gzip(body, limit)


def inflate_gzip(data: bytes, limit: int) -> bytes:
    """Inflate one or more gzip members, stopping as soon as the output passes ``limit``.

    A truncated, header-only or corrupt stream, or bytes after the last member that are not
    another member, is refused with 400 naming the problem.
    """
    out: list[bytes] = []
    size = 0
    pending = data
    first = True
    while pending:
        inflater = zlib.decompressobj(_GZIP_WINDOW)
        source = pending
        try:
            while not inflater.eof:
                piece = inflater.decompress(source, min(_INFLATE_STEP, limit - size + 1))
                source = inflater.unconsumed_tail
                if not piece and not source:
                    break  # input used up and nothing more to give: the stream stops early
                size += len(piece)
                if size > limit:
                    raise _too_large(limit)
                out.append(piece)
        except zlib.error as exc:
            reason = _zlib_reason(exc) if first else "unexpected bytes after the gzip data"
            raise BodyRefused(f"invalid gzip request body: {reason}") from None
        if not inflater.eof:
            raise BodyRefused("invalid gzip request body: the stream is truncated")
        pending = inflater.unused_data
        first = False
    return b"".join(out)


def _zlib_reason(exc: zlib.error) -> str:
    text = str(exc)
    if "incorrect header check" in text or "unknown compression method" in text:
        return "not gzip data"
    return "corrupt data"


def load_json(raw: bytes, *, reject_duplicate_keys: bool = False) -> Any:
    """Parse a UTF-8 JSON body; every parser failure becomes a 400 naming the problem."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BodyRefused(f"invalid JSON body: not UTF-8 (byte {exc.start})") from None
    hook = _no_duplicate_keys if reject_duplicate_keys else None
    try:
        document = json.loads(text, object_pairs_hook=hook)
    except json.JSONDecodeError as exc:
        raise BodyRefused(f"invalid JSON body: {exc}") from None
    except RecursionError:
        raise BodyRefused("invalid JSON body: nested too deeply") from None
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        detail = str(exc)
        if "digits" in detail:
            detail = "a number has too many digits"
        raise BodyRefused(f"invalid JSON body: {detail}") from None
    if _SURROGATE_ESCAPE.search(text):
        _refuse_unpaired_surrogates(document)
    return document


def _refuse_unpaired_surrogates(document: Any) -> None:
    """JSON may escape half of a UTF-16 pair (``"\\ud800"``); such a string is no text, and
    protobuf fails on it in ways that are not parse errors."""
    pending = [document]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise BodyRefused(
                    "invalid JSON body: a string holds an unpaired surrogate"
                ) from None


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    document: dict[str, Any] = {}
    for key, value in pairs:
        if key in document:
            raise BodyRefused(f"invalid JSON body: duplicate key {key!r}")
        document[key] = value
    return document
