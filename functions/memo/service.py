"""MemoService: memos, comments, reactions, relations and memo attachments (spec memos.md).

Each method finds the caller, parses the name, applies the access rule (``access``), makes one
store-level call (``writing``, ``listing``) and renders the result (``convert``). Deviations
from Memos v0.26.2 are listed in docs/decisions.md.
"""

from __future__ import annotations

import math
from contextlib import contextmanager
from functools import cached_property, partial
from typing import TYPE_CHECKING, Any, Final

from google.protobuf import empty_pb2
from msgspec.structs import replace

from functions.memo import access, pending_deletion
from functions.memo.convert import (
    MemoRenderer,
    linked_attachments,
    reaction_to_proto,
    state_name,
    visibility_name,
)
from memos import names
from memos.api.v1 import memo_service_connect
from memos.api.v1 import memo_service_pb2 as pb
from memos.auth.signing_secret import page_token_key
from memos.caller import PERMISSION_DENIED, current_user, is_admin, require_user
from memos.config import get_settings
from memos.convert import attachment_to_proto
from memos.domain.enums import RelationType, Visibility
from memos.domain.instance_settings import memo_related_setting
from memos.domain.resource_uids import is_valid_uid, new_uid
from memos.errors import (
    MEMO_NOT_FOUND,
    InvalidArgumentError,
    MemosError,
    NotFoundError,
    PermissionDeniedError,
)
from memos.store.clock import epoch_seconds
from memos.store.memos import Location
from memos.store.paging import lazy_page_tokens

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from connectrpc.request import RequestContext
    from google.protobuf.timestamp_pb2 import Timestamp

    from functions.memo.writing import CommentNotice, MemoWriter
    from memos.config import Settings
    from memos.store import Stores
    from memos.store.clock import Clock
    from memos.store.memos import Memo
    from memos.store.users import User

    Context = RequestContext[Any, Any]

_INVALID_UID: Final = (
    "invalid memo_id format: must be 1-32 characters, alphanumeric and hyphens only, "
    "cannot start or end with hyphen"
)
_PUBLIC_DISALLOWED: Final = "disable public memos system setting is enabled"
# Memo items (and their listing copies) must stay under DynamoDB's 400 KB item limit.
MAX_CONTENT_BYTES: Final = 256 * 1024
_MIN_SECONDS: Final = -62_135_596_800  # 0001-01-01T00:00:00Z
_MAX_SECONDS: Final = 253_402_300_799  # 9999-12-31T23:59:59Z


class MemoService(memo_service_connect.MemoService):
    """Serves memos.api.v1.MemoService."""

    def __init__(
        self, stores: Stores, settings: Settings | None = None, clock: Clock = epoch_seconds
    ) -> None:
        self._stores = stores
        self._settings = settings or get_settings()
        self._clock = clock
        self._tokens = lazy_page_tokens(partial(page_token_key, self._settings))

    @cached_property
    def _writer(self) -> MemoWriter:
        """The write path, loaded by the first write: reads never import it (DESIGN.md)."""
        from functions.memo.writing import MemoWriter  # noqa: PLC0415

        return MemoWriter(self._stores, self._clock)

    # Memos --------------------------------------------------------------------------------

    async def create_memo(self, request: pb.CreateMemoRequest, ctx: Context) -> pb.Memo:
        viewer = require_user(self._stores.users)
        if not request.HasField("memo"):
            raise InvalidArgumentError("memo is required")
        setting = self._memo_settings()
        memo = self._create(viewer, request.memo, request.memo_id, setting)
        return self._renderer(viewer, setting).render_one(memo)

    async def get_memo(self, request: pb.GetMemoRequest, ctx: Context) -> pb.Memo:
        memo = self._find(request.name)
        viewer = current_user(self._stores.users)
        access.check_can_read(viewer, memo)
        return self._renderer(viewer).render_one(memo)

    async def list_memos(self, request: pb.ListMemosRequest, ctx: Context) -> pb.ListMemosResponse:
        # The list path's own modules (the filter language, the listing queries) load on the
        # first list: the function's other calls never need them.
        from functions.memo.listing import ListRequest, list_page, query_identity  # noqa: PLC0415
        from functions.memo.order import parse_order_by  # noqa: PLC0415
        from memos.filters import compile_memo_filter  # noqa: PLC0415

        viewer = current_user(self._stores.users)
        display_with_update_time = self._memo_settings().display_with_update_time
        state = state_name(request.state)
        node = compile_memo_filter(request.filter, now=self._clock())
        order = parse_order_by(request.order_by, display_with_update_time=display_with_update_time)
        listing = list_page(
            self._stores.memo_lister,
            self._tokens(),
            ListRequest(
                viewer=viewer,
                state=state,
                filter=node,
                order=order,
                query=query_identity(
                    request.filter,
                    request.order_by,
                    state,
                    viewer.id if viewer else None,
                    display_with_update_time,
                ),
            ),
            page_size=request.page_size,
            page_token=request.page_token,
        )
        renderer = MemoRenderer(
            self._stores, viewer, display_with_update_time=display_with_update_time
        )
        return pb.ListMemosResponse(
            memos=renderer.render(listing.memos), next_page_token=listing.next_token
        )

    async def update_memo(self, request: pb.UpdateMemoRequest, ctx: Context) -> pb.Memo:
        if not request.HasField("memo"):
            raise InvalidArgumentError("memo is required")
        uid = names.parse_memo_name(request.memo.name)
        paths = list(request.update_mask.paths)
        if not paths:
            raise InvalidArgumentError("update mask is required")
        memo = self._get(uid)
        viewer = access.check_can_change(current_user(self._stores.users), memo)
        setting = self._memo_settings()
        sent = request.memo
        for path in paths:
            if path == "content":
                self._check_content(sent.content, setting.content_length_limit)
            elif path == "visibility":
                self._check_visibility(visibility_name(sent.visibility), setting)
            elif path == "attachments":
                self._set_attachments(memo, sent.attachments, viewer)
            elif path == "relations":
                self._set_relations(memo, sent.relations)
        now = self._clock()
        derived: dict[str, object] = {}
        if "content" in paths:
            from functions.memo.writing import derived_fields  # noqa: PLC0415

            derived = derived_fields(sent.content)

        def change(old: Memo) -> Memo:
            fields: dict[str, Any] = {}
            for path in paths:
                if path == "content":
                    fields.update(content=sent.content, **derived)
                elif path == "visibility":
                    fields["visibility"] = visibility_name(sent.visibility)
                elif path == "pinned":
                    fields["pinned"] = sent.pinned
                elif path == "state":
                    fields["state"] = state_name(sent.state)
                elif path == "create_time":
                    fields["created_ts"] = _seconds_or(sent.create_time, 0)
                elif path == "update_time":
                    fields["updated_ts"] = _seconds_or(sent.update_time, now)
                elif path == "display_time":
                    target = "updated_ts" if setting.display_with_update_time else "created_ts"
                    fields[target] = _seconds_or(sent.display_time, 0)
                elif path == "location":
                    fields["location"] = (
                        _location(sent.location) if sent.HasField("location") else None
                    )
            return replace(old, **fields)

        updated = self._writer.update(uid, change)
        return self._renderer(viewer, setting).render_one(updated)

    async def delete_memo(self, request: pb.DeleteMemoRequest, ctx: Context) -> empty_pb2.Empty:
        uid = names.parse_memo_name(request.name)
        memo = self._stores.memos.get(uid)
        if memo is None:
            self._finish_interrupted_delete(uid)
            return empty_pb2.Empty()
        access.check_can_change(current_user(self._stores.users), memo)
        self._writer.delete(memo)
        return empty_pb2.Empty()

    def _finish_interrupted_delete(self, uid: str) -> None:
        """A delete that a fault cut short after the memo was gone (``pending_deletion``) is
        finished for its creator or an admin; anyone else, as any other caller of a memo that
        is not there, is told it is not found."""
        creator_id = pending_deletion.pending_creator(self._stores.table, uid)
        if creator_id is None:
            raise NotFoundError(MEMO_NOT_FOUND)
        viewer = current_user(self._stores.users)
        if viewer is None or (viewer.id != creator_id and not is_admin(viewer)):
            raise NotFoundError(MEMO_NOT_FOUND)
        self._writer.finish_deletion(uid)

    # Attachments and relations ------------------------------------------------------------

    async def set_memo_attachments(
        self, request: pb.SetMemoAttachmentsRequest, ctx: Context
    ) -> empty_pb2.Empty:
        viewer = require_user(self._stores.users)
        memo = self._find(request.name)
        access.check_can_change(viewer, memo)
        self._set_attachments(memo, request.attachments, viewer)
        return empty_pb2.Empty()

    async def list_memo_attachments(
        self, request: pb.ListMemoAttachmentsRequest, ctx: Context
    ) -> pb.ListMemoAttachmentsResponse:
        memo = self._find(request.name)
        access.check_can_inspect(current_user(self._stores.users), memo)
        extras = self._stores.memo_extras.get(memo.uid)
        found = self._stores.attachments.get_many(extras.attachment_uids())
        return pb.ListMemoAttachmentsResponse(
            attachments=[
                attachment_to_proto(a) for a in linked_attachments(extras, found, cap=True)
            ]
        )

    async def set_memo_relations(
        self, request: pb.SetMemoRelationsRequest, ctx: Context
    ) -> empty_pb2.Empty:
        viewer = require_user(self._stores.users)
        memo = self._find(request.name)
        access.check_can_change(viewer, memo)
        self._set_relations(memo, request.relations)
        return empty_pb2.Empty()

    async def list_memo_relations(
        self, request: pb.ListMemoRelationsRequest, ctx: Context
    ) -> pb.ListMemoRelationsResponse:
        memo = self._find(request.name)
        viewer = current_user(self._stores.users)
        extras = self._stores.memo_extras.get(memo.uid)
        return pb.ListMemoRelationsResponse(
            relations=self._renderer(viewer).relations(memo, extras)
        )

    # Comments -----------------------------------------------------------------------------

    async def create_memo_comment(
        self, request: pb.CreateMemoCommentRequest, ctx: Context
    ) -> pb.Memo:
        parent = self._find(request.name)
        viewer = access.check_can_respond(current_user(self._stores.users), parent)
        if not request.HasField("comment"):
            raise InvalidArgumentError("comment is required")
        notice = None
        visibility = visibility_name(request.comment.visibility)
        if visibility != Visibility.PRIVATE and viewer.id != parent.creator_id:
            from functions.memo.writing import CommentNotice  # noqa: PLC0415 - writes only

            notice = CommentNotice(receiver_id=parent.creator_id)
        setting = self._memo_settings()
        with _prefixed_errors("failed to create memo"):
            comment = self._create(
                viewer, request.comment, request.comment_id, setting, parent=parent, notice=notice
            )
        return self._renderer(viewer, setting).render_one(comment)

    async def list_memo_comments(
        self, request: pb.ListMemoCommentsRequest, ctx: Context
    ) -> pb.ListMemoCommentsResponse:
        parent = self._find(request.name)
        viewer = current_user(self._stores.users)
        if not access.in_view(viewer, parent):
            return pb.ListMemoCommentsResponse()
        extras = self._stores.memo_extras.get(parent.uid)
        uids = [entry.other_uid for entry in extras.incoming(RelationType.COMMENT)]
        comments = [
            comment
            for comment in self._stores.memos.get_many(uids).values()
            if comment.parent_uid == parent.uid and access.in_view(viewer, comment)
        ]
        comments.sort(key=lambda memo: (memo.created_ts, memo.id), reverse=True)
        return pb.ListMemoCommentsResponse(memos=self._renderer(viewer).render(comments))

    # Reactions ----------------------------------------------------------------------------

    async def list_memo_reactions(
        self, request: pb.ListMemoReactionsRequest, ctx: Context
    ) -> pb.ListMemoReactionsResponse:
        memo = self._find(request.name)
        access.check_can_inspect(current_user(self._stores.users), memo)
        extras = self._stores.memo_extras.get(memo.uid)
        return pb.ListMemoReactionsResponse(
            reactions=[reaction_to_proto(reaction) for reaction in extras.reactions]
        )

    async def upsert_memo_reaction(
        self, request: pb.UpsertMemoReactionRequest, ctx: Context
    ) -> pb.Reaction:
        viewer = require_user(self._stores.users)
        if not request.HasField("reaction"):
            raise InvalidArgumentError("reaction is required")
        memo = self._find(request.reaction.content_id)
        access.check_can_respond(viewer, memo)
        reaction_type = request.reaction.reaction_type
        if len(reaction_type.encode()) > 256:
            raise InvalidArgumentError("reaction type is longer than 256 bytes")
        reaction = self._writer.add_reaction(memo, viewer.id, reaction_type)
        return reaction_to_proto(reaction)

    async def delete_memo_reaction(
        self, request: pb.DeleteMemoReactionRequest, ctx: Context
    ) -> empty_pb2.Empty:
        viewer = require_user(self._stores.users)
        _, reaction_id = names.parse_reaction_name(request.name)
        reaction = self._stores.memo_extras.get_reaction(reaction_id)
        if reaction is None or (reaction.creator_id != viewer.id and not is_admin(viewer)):
            raise PermissionDeniedError(PERMISSION_DENIED)
        self._writer.delete_reaction(reaction)
        return empty_pb2.Empty()

    # Helpers ------------------------------------------------------------------------------

    def _create(
        self,
        viewer: User,
        sent: pb.Memo,
        requested_uid: str,
        setting: Any,
        *,
        parent: Memo | None = None,
        notice: CommentNotice | None = None,
    ) -> Memo:
        uid = requested_uid.strip()
        if not uid:
            uid = new_uid()
        elif not is_valid_uid(uid):
            raise InvalidArgumentError(_INVALID_UID)
        visibility = visibility_name(sent.visibility)
        self._check_visibility(visibility, setting)
        self._check_content(sent.content, setting.content_length_limit)
        now = self._clock()
        created, updated = now, now
        display = _seconds(sent.display_time)
        if display is not None:
            if setting.display_with_update_time:
                updated = display
            else:
                created = display
        created = (
            _seconds_or(sent.create_time, created) if sent.HasField("create_time") else created
        )
        updated = (
            _seconds_or(sent.update_time, updated) if sent.HasField("update_time") else updated
        )
        location = _location(sent.location) if sent.HasField("location") else None
        from functions.memo.writing import MemoDraft  # noqa: PLC0415 - writes only

        draft = MemoDraft(sent.content, visibility, created, updated, location)
        memo = self._writer.create(viewer.id, uid, draft, parent=parent, notice=notice)
        # Memos keeps the memo when linking fails, and says which step failed.
        if sent.attachments:
            with _prefixed_errors("failed to set memo attachments"):
                self._set_attachments(memo, sent.attachments, viewer)
        if sent.relations:
            with _prefixed_errors("failed to set memo relations"):
                self._set_relations(memo, sent.relations)
        return memo

    def _set_attachments(self, memo: Memo, sent: Iterable[Any], viewer: User) -> None:
        uids = [names.parse_attachment_name(attachment.name) for attachment in sent]
        self._writer.set_attachments(memo, uids, linked_by=viewer.id)

    def _set_relations(self, memo: Memo, sent: Iterable[pb.MemoRelation]) -> None:
        targets: list[str] = []
        for relation in sent:
            if relation.type == pb.MemoRelation.COMMENT:
                continue
            if relation.related_memo.name == names.memo_name(memo.uid):
                continue
            targets.append(names.parse_memo_name(relation.related_memo.name, "related memo name"))
        existing = self._stores.memos.existing_uids(targets)
        for target in targets:
            if target not in existing:
                raise NotFoundError(f"related memo not found: {names.memo_name(target)}")
        self._writer.set_references(memo, targets)

    def _check_content(self, content: str, limit: int) -> None:
        effective = min(limit, MAX_CONTENT_BYTES)
        if len(content.encode()) > effective:
            raise InvalidArgumentError(f"content too long (max {effective} characters)")

    @staticmethod
    def _check_visibility(visibility: str, setting: Any) -> None:
        if visibility == Visibility.PUBLIC and setting.disallow_public_visibility:
            raise PermissionDeniedError(_PUBLIC_DISALLOWED)

    def _find(self, name: str) -> Memo:
        return self._get(names.parse_memo_name(name))

    def _get(self, uid: str) -> Memo:
        memo = self._stores.memos.get(uid)
        if memo is None:
            raise NotFoundError(MEMO_NOT_FOUND)
        return memo

    def _memo_settings(self) -> Any:
        return memo_related_setting(self._stores.instance_settings)

    def _renderer(self, viewer: User | None, setting: Any = None) -> MemoRenderer:
        setting = setting if setting is not None else self._memo_settings()
        return MemoRenderer(
            self._stores, viewer, display_with_update_time=setting.display_with_update_time
        )


@contextmanager
def _prefixed_errors(prefix: str) -> Iterator[None]:
    """Domain errors raised inside keep their code; their message says which step failed."""
    try:
        yield
    except MemosError as error:
        error.message = f"{prefix}: {error.message}"
        error.args = (error.message,)
        raise


def _seconds(stamp: Timestamp) -> int | None:
    """Whole seconds of a timestamp; unset (0) or outside years 1-9999 is None."""
    seconds = int(stamp.seconds)
    if seconds == 0 or not _MIN_SECONDS <= seconds <= _MAX_SECONDS:
        return None
    return seconds


def _seconds_or(stamp: Timestamp, default: int) -> int:
    found = _seconds(stamp)
    return default if found is None else found


def _location(sent: pb.Location) -> Location:
    if not (math.isfinite(sent.latitude) and math.isfinite(sent.longitude)):
        raise InvalidArgumentError("location latitude and longitude must be finite numbers")
    return Location(sent.placeholder, sent.latitude, sent.longitude)
