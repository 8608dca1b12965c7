"""``GET /file/attachments/{uid}/{filename}``: an attachment's bytes, as Memos' file server
gives them (spec attachments.md §6), from S3.

Only ``{uid}`` counts; the filename segment is there for the browser. The caller is whoever the
bearer token or the refresh cookie says (:mod:`functions.attachment.file_caller`), then the
access matrix of the attachment's memo applies (:mod:`functions.attachment.access`). Errors are
plain HTTP with a ``{"message": ...}`` body: 404 "attachment not found", 401 "unauthorized
access", 403 "forbidden access", 404 "memo not found"; a fault of AWS is 503 with
``Retry-After``, anything else 500 (details in the log only).

What comes back:

- audio and video: 307 to a presigned GET of the object, valid 5 minutes, whose answer carries
  the content type (and disposition) below; S3 then serves ranges and seeking itself;
- other files up to 4 MiB (the inline upload limit, which keeps the base64 answer inside
  Lambda's 6 MB payload): 200 with the whole body, ``Range`` ignored as in Memos; bigger ones,
  and text whose JSON escaping would not fit (:mod:`functions.attachment.answer_size`): 307 as
  for media;
- ``?thumbnail=true`` on a PNG, JPEG, HEIC, HEIF or WebP image of at most 64 MiB: its thumbnail
  (:mod:`functions.attachment.thumbnails`), made on the first request and kept in S3; the
  original when no thumbnail can be made.

Headers follow :mod:`functions.attachment.file_headers`; every answer has an ``ETag`` and
``Last-Modified``, and conditional requests get 304 before any S3 read. A redirect may be
cached only privately and briefly (its URL expires), unlike the bytes (``public``, one hour).
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Final
from urllib.parse import parse_qs

from msgspec import Struct

from functions.attachment.access import check_read_access
from functions.attachment.answer_size import fits_one_answer
from functions.attachment.file_headers import (
    CACHE_CONTROL,
    PRIVATE_CACHE_CONTROL,
    SECURITY_HEADERS,
    ascii_content_disposition,
    downloads,
    entity_tag,
    file_headers,
    http_date,
    is_media_type,
    not_modified,
    served_content_type,
)
from functions.attachment.thumbnails import (
    cached_thumbnail,
    gets_thumbnail,
    store_thumbnail,
    thumbnail_format,
)
from memos.domain.attachment_files import INLINE_UPLOAD_LIMIT_BYTES
from memos.errors import (
    DEPENDENCY_UNAVAILABLE_MESSAGE,
    ERROR_TABLE,
    GENERIC_INTERNAL_MESSAGE,
    MemosError,
    NotFoundError,
    PermissionDeniedError,
    UnauthenticatedError,
    UnavailableError,
    retry_after_headers,
)
from memos.rpc.asgi import header, send_response
from memos.store.budget import request_budget
from memos.store.faults import dependency_fault

if TYPE_CHECKING:
    from functions.attachment.file_caller import FileCaller
    from functions.attachment.file_headers import Header
    from memos.rpc.asgi import Receive, Scope, Send
    from memos.store import Stores
    from memos.store.attachments import Attachment

ATTACHMENT_FILE_ROUTE_PREFIX: Final = "/file/attachments/"
PRESIGNED_URL_SECONDS: Final = 300
# The redirect's URL stops working after PRESIGNED_URL_SECONDS: only the browser may keep it,
# and not for long.
REDIRECT_CACHE_CONTROL: Final = "private, max-age=60"
ATTACHMENT_NOT_FOUND: Final = "attachment not found"
UNAUTHORIZED_ACCESS: Final = "unauthorized access"
FORBIDDEN_ACCESS: Final = "forbidden access"
BLOB_NOT_READ: Final = "failed to get attachment blob"
# The uid rule of Memos' store: anything else names no attachment, so it is not looked up.
_UID: Final = re.compile(r"[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?")


class FileAnswer(Struct, frozen=True):
    status: int
    headers: list[Header]
    body: bytes = b""


class AttachmentFileRoute:
    """The ASGI app behind :data:`ATTACHMENT_FILE_ROUTE_PREFIX`."""

    def __init__(self, stores: Stores, caller: FileCaller) -> None:
        self._stores = stores
        self._caller = caller

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        method = scope["method"]
        if method not in ("GET", "HEAD"):
            answer = _message(405, "method not allowed", [("allow", "GET, HEAD")])
        else:
            answer = self._answer_safely(scope)
        await _send(send, answer, head=method == "HEAD")

    def _answer_safely(self, scope: Scope) -> FileAnswer:
        with request_budget():  # still open while a fault is told apart from a bug
            try:
                return self._answer(scope)
            except UnauthenticatedError:
                return _message(401, UNAUTHORIZED_ACCESS)
            except PermissionDeniedError:
                return _message(403, FORBIDDEN_ACCESS)
            except UnavailableError as error:
                return _message(503, error.message, list(retry_after_headers(error.kind)))
            except MemosError as error:
                return _message(ERROR_TABLE[error.kind].http_status, error.message)
            except Exception as error:
                return _unexpected(error)

    def _answer(self, scope: Scope) -> FileAnswer:
        uid = attachment_uid(scope["path"])
        attachment = self._stores.attachments.get(uid) if uid else None
        if attachment is None:
            raise NotFoundError(ATTACHMENT_NOT_FOUND)
        open_to_anyone = check_read_access(
            self._stores,
            attachment,
            lambda: self._caller.user(header(scope, b"authorization"), header(scope, b"cookie")),
        )

        thumbnail = _wants_thumbnail(scope) and _has_thumbnail_variant(attachment)
        validators = _validators(attachment, thumbnail=thumbnail)
        served = _Served(validators, CACHE_CONTROL if open_to_anyone else PRIVATE_CACHE_CONTROL)
        if not_modified(
            header(scope, b"if-none-match"),
            header(scope, b"if-modified-since"),
            validators[0][1],
            attachment.updated_ts,
        ):
            return FileAnswer(
                304, [*SECURITY_HEADERS, *validators, ("cache-control", served.cache_control)]
            )
        if is_media_type(attachment.type):
            return self._redirect(attachment, served)
        if thumbnail:
            return self._thumbnail(attachment, served)
        if attachment.size > INLINE_UPLOAD_LIMIT_BYTES:
            return self._redirect(attachment, served)
        return self._original_answer(attachment, self._original(attachment), served)

    def _thumbnail(self, attachment: Attachment, served: _Served) -> FileAnswer:
        blobs = self._stores.blobs
        kept = cached_thumbnail(blobs, attachment)
        if kept is not None and kept.data is not None:
            return _bytes(attachment, kept.data, served)
        original = self._original(attachment)
        if kept is not None:  # known to make none
            return self._original_answer(attachment, original, served)
        made = store_thumbnail(blobs, attachment, original)
        if made is not None:
            return _bytes(attachment, made, served)
        return self._original_answer(attachment, original, served)

    def _original_answer(self, attachment: Attachment, data: bytes, served: _Served) -> FileAnswer:
        """The bytes themselves, or S3's way to them when one answer can't carry them."""
        content_type = served_content_type(attachment.type)
        if len(data) > INLINE_UPLOAD_LIMIT_BYTES or not fits_one_answer(content_type, data):
            return self._redirect(attachment, served)
        return _bytes(attachment, data, served)

    def _original(self, attachment: Attachment) -> bytes:
        if not attachment.storage_key:  # no bytes anywhere: Memos serves its empty blob
            return b""
        blob = self._stores.blobs.get(attachment.storage_key)
        if blob is None:
            raise _MissingBlobError(attachment.uid)
        return blob.data

    def _redirect(self, attachment: Attachment, served: _Served) -> FileAnswer:
        if not attachment.storage_key:
            return _bytes(attachment, b"", served)
        content_type = served_content_type(attachment.type)
        disposition = (
            ascii_content_disposition(attachment.filename) if downloads(attachment.type) else None
        )
        url = self._stores.blobs.presigned_get(
            attachment.storage_key,
            PRESIGNED_URL_SECONDS,
            content_type=content_type,
            content_disposition=disposition,
        )
        headers = [
            (name, value)
            for name, value in file_headers(attachment.type, attachment.filename)
            if name not in ("cache-control", "content-disposition")
        ]
        return FileAnswer(
            307,
            [*headers, ("cache-control", REDIRECT_CACHE_CONTROL), ("location", url)],
        )


class _Served(Struct, frozen=True):
    """What every answer about one attachment variant carries: its validators, and how long a
    browser or shared cache may keep it."""

    validators: list[Header]
    cache_control: str


class _MissingBlobError(Exception):
    """The record names an object S3 does not have."""

    def __init__(self, uid: str) -> None:
        super().__init__(f"attachment {uid}: object missing")


def attachment_uid(path: str) -> str | None:
    """The ``{uid}`` of ``/file/attachments/{uid}/{filename}`` when it can name an attachment."""
    if not path.startswith(ATTACHMENT_FILE_ROUTE_PREFIX):
        return None
    uid, slash, _filename = path[len(ATTACHMENT_FILE_ROUTE_PREFIX) :].partition("/")
    if not slash or not _UID.fullmatch(uid):
        return None
    return uid


def _wants_thumbnail(scope: Scope) -> bool:
    query = bytes(scope.get("query_string", b"")).decode("latin-1")
    values = parse_qs(query, keep_blank_values=True).get("thumbnail", [])
    return bool(values) and values[0] == "true"


def _has_thumbnail_variant(attachment: Attachment) -> bool:
    return (
        not is_media_type(attachment.type)
        and gets_thumbnail(attachment.type, attachment.size)
        and thumbnail_format(attachment.filename) is not None
    )


def _validators(attachment: Attachment, *, thumbnail: bool) -> list[Header]:
    etag = entity_tag(attachment.uid, attachment.size, attachment.updated_ts, thumbnail=thumbnail)
    return [("etag", etag), ("last-modified", http_date(attachment.updated_ts))]


def _bytes(attachment: Attachment, data: bytes, served: _Served) -> FileAnswer:
    headers = [
        *file_headers(attachment.type, attachment.filename, cache_control=served.cache_control),
        *served.validators,
    ]
    return FileAnswer(200, headers, data)


def _message(status: int, message: str, extra: list[Header] | None = None) -> FileAnswer:
    body = json.dumps({"message": message}).encode()
    headers: list[Header] = [
        ("content-type", "application/json; charset=UTF-8"),
        ("x-content-type-options", "nosniff"),
        ("cache-control", "no-store"),
        *(extra or []),
    ]
    return FileAnswer(status, headers, body)


def _unexpected(error: Exception) -> FileAnswer:
    from memos.observability import get_logger  # noqa: PLC0415 - only on failures

    fault = dependency_fault(error)
    if fault is not None:
        get_logger().warning("dependency unavailable", extra=fault.log_fields())
        retry_after = list(retry_after_headers(UnavailableError.kind))
        return _message(503, DEPENDENCY_UNAVAILABLE_MESSAGE, retry_after)
    if isinstance(error, _MissingBlobError):
        get_logger().error(BLOB_NOT_READ, extra={"error": str(error)})
        return _message(500, BLOB_NOT_READ)
    get_logger().exception("attachment file request failed")
    return _message(500, GENERIC_INTERNAL_MESSAGE)


async def _send(send: Send, answer: FileAnswer, *, head: bool) -> None:
    headers = [(name.encode("latin-1"), _header_value(value)) for name, value in answer.headers]
    if answer.status != 304:  # HEAD tells the length GET's body has
        headers.append((b"content-length", str(len(answer.body)).encode()))
    await send_response(send, answer.status, headers, b"" if head else answer.body)


def _header_value(value: str) -> bytes:
    """Header values as UTF-8 (a Go-quoted filename keeps printable Unicode, as Go sends it)."""
    return value.encode("utf-8")
