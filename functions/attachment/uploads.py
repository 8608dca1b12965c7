"""Direct-to-S3 uploads: files larger than a function can carry (a REST extension beyond Memos).

``POST /api/v1/attachment-uploads`` with ``{"filename", "type", "size"}`` answers a presigned S3
form upload ``{"uploadId", "url", "fields", "method": "POST", "expiresAt"}``: the client posts
``fields`` and then the file (last) to ``url`` as ``multipart/form-data``. The policy pins the key
(``uploads/<creator id>/<upload id>``), the content type, the exact size and the declared
filename, and expires after :data:`UPLOAD_URL_SECONDS`.

``POST /api/v1/attachment-uploads/{uploadId}/finalize`` (optional ``{"memo": "memos/<uid>"}``)
checks the object with HeadObject (there, exactly the declared size, within the limit, of the
declared type) and makes it an attachment: a server-side copy to ``attachments/<uid>`` (the uid is
the upload id; :mod:`functions.attachment.object_copy`), or for a photo up to
:data:`EXIF_STRIP_MAX_BYTES` its bytes without EXIF, the record (and the memo link) written,
the upload object deleted. A finalize
repeated after it succeeded answers the same attachment. Refusals: nothing uploaded (or expired,
or another user's upload id) -> NOT_FOUND; wrong size or type, or over the limit ->
INVALID_ARGUMENT, and the object is deleted. Unfinished uploads are expired by the bucket's
lifecycle rule on ``uploads/``.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import quote, unquote

from functions.attachment.object_copy import COPY_BUDGET_SECONDS, copy_object
from functions.attachment.records import (
    memo_to_link,
    new_attachment_uid,
    record_new_attachment,
    validate_attachment_uid,
)
from memos.caller import require_user
from memos.domain.attachment_files import (
    EXIF_IMAGE_TYPES,
    OCTET_STREAM,
    resolve_mime_type,
    strip_exif,
    type_by_extension,
    validate_filename,
)
from memos.errors import AlreadyExistsError, InvalidArgumentError, MemosError, NotFoundError
from memos.names import parse_memo_name
from memos.rpc.api_routes import ApiRequest, ApiRoute
from memos.store.blobs import attachment_object_key, upload_object_key
from memos.store.budget import request_budget

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from memos.config import Settings
    from memos.store import Stores
    from memos.store.attachments import Attachment
    from memos.store.blobs import BlobInfo, BlobStore
    from memos.store.users import User

START_PATH: Final = "/api/v1/attachment-uploads"
FINALIZE_PATH: Final = "/api/v1/attachment-uploads/{upload_id}/finalize"
SERVICE: Final = "AttachmentService"
START_METHOD: Final = "StartAttachmentUpload"
FINALIZE_METHOD: Final = "FinalizeAttachmentUpload"
UPLOAD_URL_SECONDS: Final = 15 * 60
# Photos up to this size lose their EXIF block at finalize (read, re-encoded, written); a
# 64 MP JPEG is far smaller, and larger images are not decoded anyway.
EXIF_STRIP_MAX_BYTES: Final = 64 * 1024 * 1024
# The object's user metadata that carries what the client declared (pinned by the policy).
FILENAME_METADATA: Final = "filename"  # percent-encoded UTF-8: S3 metadata is ASCII
SIZE_METADATA: Final = "declared-size"
TYPE_METADATA: Final = "declared-type"
# S3 keeps at most 2 KB of user metadata per object.
MAX_ENCODED_FILENAME: Final = 1024
UPLOAD_NOT_FOUND: Final = (
    "upload not found: post the file to the upload URL before finalizing "
    "(uploads not finalized expire)"
)
_START_FIELDS: Final = frozenset({"filename", "type", "size"})
_FINALIZE_FIELDS: Final = frozenset({"memo"})


class AttachmentUploads:
    """The two routes, for the attachment service to declare through ``api_routes()``."""

    def __init__(
        self, stores: Stores, settings: Settings, *, clock: Callable[[], float] = time.time
    ) -> None:
        self._stores = stores
        self._max_bytes = settings.direct_upload_max_bytes
        self._clock = clock

    def routes(self) -> tuple[ApiRoute, ApiRoute]:
        return (
            ApiRoute("POST", START_PATH, SERVICE, START_METHOD, self.start),
            ApiRoute("POST", FINALIZE_PATH, SERVICE, FINALIZE_METHOD, self.finalize),
        )

    async def start(self, request: ApiRequest) -> Mapping[str, Any]:
        user = require_user(self._stores.users)
        body = _object_body(request.body, _START_FIELDS, required=True)
        filename = _text_field(body, "filename")
        if not filename:
            raise InvalidArgumentError("filename is required")
        validate_filename(filename)
        encoded_filename = quote(filename, safe="")
        if len(encoded_filename) > MAX_ENCODED_FILENAME:
            raise InvalidArgumentError("filename is too long for a direct upload")
        given_type = _text_field(body, "type")
        mime_type = resolve_mime_type(
            filename, given_type or type_by_extension(filename) or OCTET_STREAM, b""
        )
        size = _size_field(body)
        if size > self._max_bytes:
            raise InvalidArgumentError(
                f"file size exceeds the direct upload limit of {self._max_bytes} bytes"
            )
        upload_id = new_attachment_uid()
        expires_at = int(self._clock()) + UPLOAD_URL_SECONDS
        post = self._stores.blobs.presigned_post(
            upload_object_key(user.id, upload_id),
            content_type=mime_type,
            min_bytes=size,
            max_bytes=size,
            expires_seconds=UPLOAD_URL_SECONDS,
            metadata={
                FILENAME_METADATA: encoded_filename,
                SIZE_METADATA: str(size),
                TYPE_METADATA: mime_type,
            },
        )
        return {
            "uploadId": upload_id,
            "url": post.url,
            "fields": dict(post.fields),
            "method": "POST",
            "expiresAt": _rfc3339(expires_at),
        }

    async def finalize(self, request: ApiRequest) -> Mapping[str, Any]:
        user = require_user(self._stores.users)
        upload_id = request.path_params.get("upload_id", "")
        body = _object_body(request.body, _FINALIZE_FIELDS, required=False)
        memo = _text_field(body, "memo")
        if memo:
            parse_memo_name(memo)  # a malformed name is INVALID_ARGUMENT before any read
        if not _is_upload_id(upload_id):
            raise NotFoundError(UPLOAD_NOT_FOUND)
        existing = self._stores.attachments.get(upload_id)
        if existing is not None:
            return _attachment_json(self._finalized_before(existing, user, upload_id))
        memo_uid = memo_to_link(self._stores, user, memo) if memo else None
        upload_key = upload_object_key(user.id, upload_id)
        info = self._stores.blobs.head(upload_key)
        if info is None:
            raise NotFoundError(UPLOAD_NOT_FOUND)
        filename = self._checked_upload(info)
        target = attachment_object_key(upload_id)
        blobs = self._stores.blobs
        with request_budget(COPY_BUDGET_SECONDS):
            size = _move_upload(blobs, info, target)
        try:
            attachment = record_new_attachment(
                self._stores,
                creator_id=user.id,
                filename=filename,
                mime_type=info.content_type,
                size=size,
                storage_key=target,
                memo_uid=memo_uid,
                uid=upload_id,
            )
        except AlreadyExistsError:
            # A repeated finalize that ran alongside this one recorded it first (same bytes).
            existing = self._stores.attachments.get(upload_id)
            if existing is None:
                raise
            return _attachment_json(self._finalized_before(existing, user, upload_id))
        except MemosError:
            blobs.delete(target)  # the upload stays, so a finalize naming the right memo works
            raise
        _delete_quietly(self._stores, upload_key)
        return _attachment_json(attachment)

    def _finalized_before(self, existing: Attachment, user: User, upload_id: str) -> Attachment:
        """A finalize repeated after success (its answer lost) gets the same attachment."""
        if existing.creator_id != user.id or existing.storage_key != attachment_object_key(
            upload_id
        ):
            raise NotFoundError(UPLOAD_NOT_FOUND)
        _delete_quietly(self._stores, upload_object_key(user.id, upload_id))
        return existing

    def _checked_upload(self, info: BlobInfo) -> str:
        """The declared filename, once the object is what was declared; else the object goes
        and the finalize is INVALID_ARGUMENT."""
        declared_size = info.metadata.get(SIZE_METADATA, "")
        declared_type = info.metadata.get(TYPE_METADATA, "")
        encoded_filename = info.metadata.get(FILENAME_METADATA, "")
        problem = ""
        if not (encoded_filename and declared_type and declared_size.isdigit()):
            problem = "the upload was not started with POST /api/v1/attachment-uploads"
        elif info.size > self._max_bytes:
            problem = f"file size exceeds the direct upload limit of {self._max_bytes} bytes"
        elif info.size != int(declared_size):
            problem = f"uploaded {info.size} bytes, but {declared_size} were declared"
        elif info.content_type != declared_type:
            problem = (
                f"uploaded a file of type {info.content_type}, but {declared_type} was declared"
            )
        if problem:
            self._stores.blobs.delete(info.key)
            raise InvalidArgumentError(problem)
        filename = unquote(encoded_filename)
        try:
            validate_filename(filename)
            resolve_mime_type(filename, info.content_type, b"")
        except InvalidArgumentError:
            self._stores.blobs.delete(info.key)
            raise
        return filename


def _move_upload(blobs: BlobStore, info: BlobInfo, target: str) -> int:
    """Put the upload's bytes at ``target``; the size stored there. A photo small enough to
    decode is read and written again without its EXIF block (GPS position, camera), as an
    inline upload is; anything else is copied inside S3 as it is."""
    if info.content_type in EXIF_IMAGE_TYPES and info.size <= EXIF_STRIP_MAX_BYTES:
        blob = blobs.get(info.key)
        if blob is None:
            raise NotFoundError(UPLOAD_NOT_FOUND)
        data = strip_exif(blob.data, info.content_type)
        blobs.put(target, data, info.content_type)
        return len(data)
    copy_object(blobs, info.key, target, size=info.size, content_type=info.content_type)
    return info.size


def _attachment_json(attachment: Attachment) -> Mapping[str, Any]:
    """The attachment as GetAttachment's REST answer shows it."""
    from memos.convert import attachment_to_proto  # noqa: PLC0415 - only on finalize
    from memos.rpc.rest import message_to_json_dict  # noqa: PLC0415

    return message_to_json_dict(attachment_to_proto(attachment))


def _delete_quietly(stores: Stores, key: str) -> None:
    """Remove a finalized upload's object; if that fails, the lifecycle rule removes it."""
    try:
        stores.blobs.delete(key)
    except Exception:  # the attachment exists: a leftover upload only costs storage
        from memos.observability import get_logger  # noqa: PLC0415 - only on failures

        get_logger().warning("upload object left for the lifecycle rule", extra={"key": key})


def _object_body(body: Any, allowed: frozenset[str], *, required: bool) -> Mapping[str, Any]:
    if body is None and not required:
        return {}
    if not isinstance(body, dict):
        fields = ", ".join(sorted(allowed))
        raise InvalidArgumentError(f"the request body must be a JSON object ({fields})")
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise InvalidArgumentError(f"unknown field(s): {', '.join(unknown)}")
    return body


def _text_field(body: Mapping[str, Any], name: str) -> str:
    value = body.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidArgumentError(f"{name} must be a string")
    return value


def _size_field(body: Mapping[str, Any]) -> int:
    """``size`` as a JSON integer or, as protobuf JSON writes 64-bit integers, a decimal string."""
    value = body.get("size")
    if value is None:
        raise InvalidArgumentError("size is required")
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 20:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidArgumentError("size must be a non-negative integer (bytes)")
    return value


def _is_upload_id(upload_id: str) -> bool:
    """Whether ``upload_id`` could be one (upload ids are attachment uids)."""
    try:
        validate_attachment_uid(upload_id)
    except InvalidArgumentError:
        return False
    return True


def _rfc3339(epoch_seconds: int) -> str:
    return datetime.fromtimestamp(epoch_seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
