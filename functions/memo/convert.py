"""Stored memos, reactions, relations and attachments as API messages.

A page of memos is rendered with three BatchGetItems whatever its size: the memos' extras, the
memos at the other end of their relations, and their attachments (:class:`MemoRenderer`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from functions.memo.access import in_view
from memos import names
from memos.api.v1 import common_pb2
from memos.api.v1 import memo_service_pb2 as pb
from memos.convert import attachment_to_proto, timestamp
from memos.domain.enums import RelationType, State, Visibility
from memos.store.memo_extras import OUT

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from memos.store import Stores
    from memos.store.attachments import Attachment
    from memos.store.memo_extras import MemoExtras, StoredReaction
    from memos.store.memos import Memo
    from memos.store.users import User

MAX_ATTACHMENTS_SHOWN: Final = 100

VISIBILITY_TO_PROTO: Final = {
    Visibility.PRIVATE.value: pb.PRIVATE,
    Visibility.PROTECTED.value: pb.PROTECTED,
    Visibility.PUBLIC.value: pb.PUBLIC,
}
_RELATION_TO_PROTO: Final = {
    RelationType.REFERENCE.value: pb.MemoRelation.REFERENCE,
    RelationType.COMMENT.value: pb.MemoRelation.COMMENT,
}


def visibility_name(value: int) -> str:
    """The stored name of a requested visibility; UNSPECIFIED (or unknown) is PRIVATE."""
    for name, number in VISIBILITY_TO_PROTO.items():
        if number == value:
            return name
    return Visibility.PRIVATE.value


def state_name(value: int) -> str:
    return State.ARCHIVED.value if value == common_pb2.ARCHIVED else State.NORMAL.value


def reaction_to_proto(reaction: StoredReaction) -> pb.Reaction:
    return pb.Reaction(
        name=names.reaction_name(reaction.memo_uid, reaction.id),
        creator=names.user_name(reaction.creator_id),
        content_id=names.memo_name(reaction.memo_uid),
        reaction_type=reaction.reaction_type,
        create_time=timestamp(reaction.created_ts),
    )


def linked_attachments(
    extras: MemoExtras, found: Mapping[str, Attachment], *, cap: bool
) -> list[Attachment]:
    """A memo's attachments, newest link first; at most 100 where Memos caps them (one memo's
    responses; ListMemos does not cap)."""
    linked = [found[uid] for uid in extras.attachment_uids() if uid in found]
    return linked[:MAX_ATTACHMENTS_SHOWN] if cap else linked


class MemoRenderer:
    """Renders memos for one viewer, batching every read a page needs."""

    def __init__(self, stores: Stores, viewer: User | None, *, display_with_update_time: bool):
        self._stores = stores
        self._viewer = viewer
        self._display_with_update_time = display_with_update_time

    def render(self, memos: Sequence[Memo], *, cap_attachments: bool = False) -> list[pb.Memo]:
        if not memos:
            return []
        extras = self._stores.memo_extras.get_many(memo.uid for memo in memos)
        known = {memo.uid: memo for memo in memos}
        others = {
            entry.other_uid
            for found in extras.values()
            for entry in found.relations
            if entry.other_uid not in known
        }
        known.update(self._stores.memos.get_many(others))
        attachment_uids = [uid for found in extras.values() for uid in found.attachments]
        attachments = self._stores.attachments.get_many(attachment_uids)
        return [
            self._memo(memo, extras[memo.uid], known, attachments, cap_attachments)
            for memo in memos
        ]

    def render_one(self, memo: Memo) -> pb.Memo:
        return self.render([memo], cap_attachments=True)[0]

    def relations(self, memo: Memo, extras: MemoExtras) -> list[pb.MemoRelation]:
        known = {memo.uid: memo}
        known.update(self._stores.memos.get_many(entry.other_uid for entry in extras.relations))
        return self._relations(memo, extras, known)

    def _memo(
        self,
        memo: Memo,
        extras: MemoExtras,
        known: dict[str, Memo],
        attachments: dict[str, Attachment],
        cap_attachments: bool,
    ) -> pb.Memo:
        display = memo.updated_ts if self._display_with_update_time else memo.created_ts
        linked = linked_attachments(extras, attachments, cap=cap_attachments)
        message = pb.Memo(
            name=names.memo_name(memo.uid),
            state=common_pb2.ARCHIVED if memo.state == State.ARCHIVED else common_pb2.NORMAL,
            creator=names.user_name(memo.creator_id),
            create_time=timestamp(memo.created_ts),
            update_time=timestamp(memo.updated_ts),
            display_time=timestamp(display),
            content=memo.content,
            visibility=VISIBILITY_TO_PROTO.get(memo.visibility, pb.PRIVATE),
            tags=list(memo.tags),
            pinned=memo.pinned,
            attachments=[attachment_to_proto(attachment) for attachment in linked],
            relations=self._relations(memo, extras, known),
            reactions=[reaction_to_proto(reaction) for reaction in extras.reactions],
            property=pb.Memo.Property(
                has_link=memo.has_link,
                has_task_list=memo.has_task_list,
                has_code=memo.has_code,
                has_incomplete_tasks=memo.has_incomplete_tasks,
            ),
            snippet=memo.snippet,
        )
        if memo.parent_uid is not None:
            message.parent = names.memo_name(memo.parent_uid)
        if memo.location is not None:
            message.location.CopyFrom(
                pb.Location(
                    placeholder=memo.location.placeholder,
                    latitude=memo.location.latitude,
                    longitude=memo.location.longitude,
                )
            )
        return message

    def _relations(
        self, memo: Memo, extras: MemoExtras, known: dict[str, Memo]
    ) -> list[pb.MemoRelation]:
        """Outgoing first, then incoming; only those whose both ends the viewer may list."""
        if not in_view(self._viewer, memo):
            return []
        ordered = sorted(extras.relations, key=lambda entry: entry.direction != OUT)
        result: list[pb.MemoRelation] = []
        for entry in ordered:
            other = known.get(entry.other_uid)
            if other is None or not in_view(self._viewer, other):
                continue
            source, target = (memo, other) if entry.direction == OUT else (other, memo)
            result.append(
                pb.MemoRelation(
                    memo=pb.MemoRelation.Memo(
                        name=names.memo_name(source.uid), snippet=source.snippet
                    ),
                    related_memo=pb.MemoRelation.Memo(
                        name=names.memo_name(target.uid), snippet=target.snippet
                    ),
                    type=_RELATION_TO_PROTO.get(entry.type, pb.MemoRelation.REFERENCE),
                )
            )
        return result
