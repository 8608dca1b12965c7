"""AttachmentService: attachments and their bytes in S3 (spec attachments.md §2-§4, §7).

Each method finds the caller, parses the name, applies the access rule (``access``), makes the
store-level calls (``records``, ``listing``, ``blob_writes``) and converts the result. Deviations
from Memos v0.26.2 are listed in docs/decisions.md.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any, Final

from google.protobuf import empty_pb2

from functions.attachment import records
from functions.attachment.access import check_read_access
from functions.attachment.blob_writes import delete_objects_then_record, put_then_record
from functions.attachment.file_caller import FileCaller
from functions.attachment.file_route import ATTACHMENT_FILE_ROUTE_PREFIX, AttachmentFileRoute
from functions.attachment.uploads import AttachmentUploads
from memos import names
from memos.api.v1 import attachment_service_connect
from memos.api.v1 import attachment_service_pb2 as pb
from memos.auth.signing_secret import page_token_key, signing_secrets
from memos.caller import PERMISSION_DENIED, current_user, is_admin, require_user
from memos.config import get_settings
from memos.convert import attachment_to_proto
from memos.domain.attachment_files import (
    INLINE_UPLOAD_LIMIT_BYTES,
    SNIFF_BYTES,
    resolve_mime_type,
    strip_exif,
    validate_filename,
)
from memos.domain.instance_settings import DIRECT_UPLOAD_PATH, upload_size_limit_bytes
from memos.errors import InvalidArgumentError, NotFoundError, PermissionDeniedError
from memos.store.blobs import attachment_object_key
from memos.store.clock import epoch_seconds
from memos.store.paging import lazy_page_tokens

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from connectrpc.request import RequestContext

    from memos.config import Settings
    from memos.rpc.api_routes import ApiRoute
    from memos.rpc.asgi import ASGIApp
    from memos.store import Stores
    from memos.store.attachments import Attachment
    from memos.store.clock import Clock

    Context = RequestContext[Any, Any]

ATTACHMENT_NOT_FOUND: Final = records.ATTACHMENT_NOT_FOUND
_MIB: Final = 1024 * 1024


class AttachmentService(attachment_service_connect.AttachmentService):
    """Serves memos.api.v1.AttachmentService."""

    def __init__(
        self, stores: Stores, settings: Settings | None = None, clock: Clock = epoch_seconds
    ) -> None:
        self._stores = stores
        self._settings = settings or get_settings()
        self._clock = clock
        self._tokens = lazy_page_tokens(partial(page_token_key, self._settings))

    def file_routes(self) -> Mapping[str, ASGIApp]:
        """``GET /file/attachments/{uid}/{filename}``: the bytes, under the same access rule."""
        caller = FileCaller(self._stores, lambda: signing_secrets(self._settings))
        return {ATTACHMENT_FILE_ROUTE_PREFIX: AttachmentFileRoute(self._stores, caller)}

    def api_routes(self) -> Sequence[ApiRoute]:
        """The direct-to-S3 upload: start (a presigned form) and finalize (the attachment)."""
        return AttachmentUploads(self._stores, self._settings).routes()

    async def create_attachment(
        self, request: pb.CreateAttachmentRequest, ctx: Context
    ) -> pb.Attachment:
        user = require_user(self._stores.users)
        if not request.HasField("attachment"):
            raise InvalidArgumentError("attachment is required")
        sent = request.attachment
        if not sent.filename:
            raise InvalidArgumentError("filename is required")
        validate_filename(sent.filename)
        content = sent.content  # read once: each read of a bytes field may copy it
        mime_type = resolve_mime_type(sent.filename, sent.type, content[:SNIFF_BYTES])
        self._check_size(len(content))
        uid = self._free_uid(request.attachment_id)
        memo_uid = (
            records.memo_to_link(self._stores, user, sent.memo) if sent.HasField("memo") else None
        )
        data = strip_exif(content, mime_type)
        key = attachment_object_key(uid)
        created = put_then_record(
            self._stores.blobs,
            key,
            data,
            mime_type,
            lambda: records.record_new_attachment(
                self._stores,
                creator_id=user.id,
                filename=sent.filename,
                mime_type=mime_type,
                size=len(data),
                storage_key=key,
                memo_uid=memo_uid,
                uid=uid,
                clock=self._clock,
            ),
        )
        return attachment_to_proto(created)

    async def list_attachments(
        self, request: pb.ListAttachmentsRequest, ctx: Context
    ) -> pb.ListAttachmentsResponse:
        user = require_user(self._stores.users)
        from functions.attachment.listing import list_own_attachments  # noqa: PLC0415

        page = list_own_attachments(
            self._stores,
            self._tokens(),
            creator_id=user.id,
            page_size=request.page_size,
            page_token=request.page_token,
            filter_text=request.filter,
            now=self._clock(),
        )
        return pb.ListAttachmentsResponse(
            attachments=[attachment_to_proto(attachment) for attachment in page.attachments],
            next_page_token=page.next_page_token,
            total_size=len(page.attachments),
        )

    async def get_attachment(self, request: pb.GetAttachmentRequest, ctx: Context) -> pb.Attachment:
        return attachment_to_proto(self._readable(request.name))

    async def update_attachment(
        self, request: pb.UpdateAttachmentRequest, ctx: Context
    ) -> pb.Attachment:
        uid = names.parse_attachment_name(request.attachment.name)
        paths = list(request.update_mask.paths)
        if not paths:
            raise InvalidArgumentError("update mask is required")
        user = require_user(self._stores.users)
        found = self._find(uid)
        if found.creator_id != user.id and not is_admin(user):
            raise PermissionDeniedError(PERMISSION_DENIED)
        filename: str | None = None
        if "filename" in paths:  # the only field a client may change
            validate_filename(request.attachment.filename)
            filename = request.attachment.filename
        records.touch_attachment(self._stores, uid, filename=filename, clock=self._clock)
        return attachment_to_proto(self._readable(request.attachment.name))

    async def delete_attachment(
        self, request: pb.DeleteAttachmentRequest, ctx: Context
    ) -> empty_pb2.Empty:
        uid = names.parse_attachment_name(request.name)
        user = require_user(self._stores.users)
        found = self._stores.attachments.get(uid)
        if found is None or found.creator_id != user.id:  # only one's own, even for ADMINs
            raise NotFoundError(ATTACHMENT_NOT_FOUND)
        delete_objects_then_record(self._stores, found)
        return empty_pb2.Empty()

    # Helpers ------------------------------------------------------------------------------

    def _find(self, uid: str) -> Attachment:
        found = self._stores.attachments.get(uid)
        if found is None:
            raise NotFoundError(ATTACHMENT_NOT_FOUND)
        return found

    def _readable(self, name: str) -> Attachment:
        found = self._find(names.parse_attachment_name(name))
        check_read_access(self._stores, found, lambda: current_user(self._stores.users))
        return found

    def _check_size(self, size: int) -> None:
        limit = upload_size_limit_bytes(self._stores.instance_settings)
        if size <= limit:
            return
        message = f"file size exceeds the limit of {limit // _MIB} MiB for an upload in one request"
        if limit >= INLINE_UPLOAD_LIMIT_BYTES:
            message += f"; upload larger files directly to storage with {DIRECT_UPLOAD_PATH}"
        raise InvalidArgumentError(message)

    def _free_uid(self, requested: str) -> str:
        """The attachment's uid: the one asked for (valid and not taken), or a new one."""
        if not requested:
            return records.new_attachment_uid()
        records.validate_attachment_uid(requested)
        # Checked before the bytes are written: they go to the uid's own object key.
        if self._stores.attachments.get(requested) is not None:
            raise records.already_exists(requested)
        return requested
