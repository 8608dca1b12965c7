"""Every memo write, each one transaction with what must change with it.

A memo create, update or delete commits the memo item, its listing copies, its extras and its
creator's stats items together, so GetUserStats is exact as soon as the call returns. Stats and
extras items are shared by concurrent writers; their writes carry version or existence
conditions, and a write that loses a race is rebuilt from fresh reads and retried.
"""

from __future__ import annotations

import contextlib
import random
import time
from typing import TYPE_CHECKING, Final

from msgspec import Struct

from functions.memo import pending_deletion
from memos.domain import memo_stats
from memos.domain.attachment_objects import (
    delete_keys_after_commit,
    delete_objects_after_commit,
    object_keys,
)
from memos.domain.enums import RelationType, State
from memos.errors import MEMO_NOT_FOUND, AlreadyExistsError, NotFoundError, UnavailableError
from memos.store import keys
from memos.store.clock import epoch_seconds
from memos.store.memo_extras import IN as INCOMING
from memos.store.memo_extras import OUT as OUTGOING
from memos.store.memo_extras import (
    ExtrasChanges,
    StoredReaction,
    empty_extras_item,
    reaction_entry,
    reaction_key,
    reaction_lookup_item,
    relation_key,
)
from memos.store.memos import Location, Memo
from memos.store.table import TRANSACTION_LIMIT, ConditionFailedError, item_exists, set_fields
from memos.store.writes import WriteConflictError, Writes
from memos.webhooks.events import CASCADE_MARKER

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from memos.store import Stores
    from memos.store.attachments import Attachment
    from memos.store.clock import Clock
    from memos.store.memo_extras import MemoExtras

_ATTEMPTS: Final = 25


class MemoDraft(Struct, frozen=True):
    """What a create asks for, validated; times already resolved (spec memos.md §8)."""

    content: str
    visibility: str
    created_ts: int
    updated_ts: int
    location: Location | None = None
    # Only an import sets these: a created memo is otherwise NORMAL and unpinned.
    state: str = State.NORMAL.value
    pinned: bool = False


def derived_fields(content: str) -> dict[str, object]:
    """Tags, properties and snippet of ``content`` (imports the Markdown parser: writes only)."""
    from memos.markdown import derive_content, tag_paths  # noqa: PLC0415 - write path only

    derived = derive_content(content)
    return {
        "tags": derived.tags,
        "tag_paths": tag_paths(derived.tags),
        "has_link": derived.has_link,
        "has_task_list": derived.has_task_list,
        "has_code": derived.has_code,
        "has_incomplete_tasks": derived.has_incomplete_tasks,
        "snippet": derived.snippet,
    }


class CommentNotice(Struct, frozen=True):
    """The activity and inbox item a comment leaves for the parent memo's creator."""

    receiver_id: int


class MemoWriter:
    def __init__(self, stores: Stores, clock: Clock = epoch_seconds) -> None:
        self._stores = stores
        self._clock = clock

    def now(self) -> int:
        return self._clock()

    # Create -------------------------------------------------------------------------------

    def create(
        self,
        creator_id: int,
        uid: str,
        draft: MemoDraft,
        *,
        parent: Memo | None = None,
        notice: CommentNotice | None = None,
        memo_id: int | None = None,
    ) -> Memo:
        """Store a new memo (or a comment on ``parent``); a taken uid is ALREADY_EXISTS.

        ``memo_id`` keeps an imported memo's id (the import raises the counter past it)."""
        stores = self._stores
        memo = Memo(
            id=stores.memos.next_id() if memo_id is None else memo_id,
            uid=uid,
            creator_id=creator_id,
            content=draft.content,
            visibility=draft.visibility,
            state=draft.state,
            created_ts=draft.created_ts,
            updated_ts=draft.updated_ts,
            pinned=draft.pinned,
            location=draft.location,
            parent_uid=parent.uid if parent is not None else None,
            **derived_fields(draft.content),  # type: ignore[arg-type]
        )
        extra_writes = Writes(stores.table)
        if parent is not None and notice is not None:
            activity, operation = stores.activities.prepare(
                creator_id, memo.uid, parent.uid, self.now()
            )
            extra_writes.add(operation, "activity")
            stores.notifications.prepare(
                extra_writes,
                receiver_id=notice.receiver_id,
                sender_id=creator_id,
                activity_id=activity.id,
            )
        created: list[Memo] = []

        def build() -> Writes:
            writes = Writes(stores.table)
            created[:] = [stores.memos.add_create(writes, memo)]
            extras = empty_extras_item(memo.uid)
            if parent is not None:
                sequence = time.time_ns()
                extras["relations"] = {
                    relation_key(OUTGOING, RelationType.COMMENT, parent.uid): {
                        "uid": parent.uid,
                        "type": RelationType.COMMENT.value,
                        "sequence": sequence,
                    }
                }
                changes = ExtrasChanges()
                changes.set_entry(
                    parent.uid,
                    "relations",
                    relation_key(INCOMING, RelationType.COMMENT, memo.uid),
                    {"uid": memo.uid, "type": RelationType.COMMENT.value, "sequence": sequence},
                )
                changes.add_to(writes)
            writes.put(extras)
            self._add_stats(writes, None, memo)
            writes.extend(extra_writes)
            return writes

        try:
            self._commit(build)
        except WriteConflictError as conflict:
            if "memo" in conflict.labels:
                raise AlreadyExistsError(f'memo with ID "{uid}" already exists') from conflict
            if parent is not None and f"extras:{parent.uid}" in conflict.labels:
                raise NotFoundError(MEMO_NOT_FOUND) from conflict
            raise
        return created[0]

    # Update -------------------------------------------------------------------------------

    def update(self, uid: str, change: Callable[[Memo], Memo]) -> Memo:
        """Apply ``change`` to the stored memo, re-reading and re-applying after a race."""
        stores = self._stores
        result: list[Memo] = []

        def build() -> Writes:
            old = stores.memos.get(uid)
            if old is None:
                raise NotFoundError(MEMO_NOT_FOUND)
            new = change(old)
            writes = Writes(stores.table)
            result[:] = [stores.memos.add_update(writes, old, new)]
            self._add_stats(writes, old, new)
            return writes

        self._commit(build, retry_labels=("memo",))
        return result[0]

    # Delete -------------------------------------------------------------------------------

    def delete(self, memo: Memo) -> None:
        """Delete a memo, its direct comments, their relations, attachments and reactions."""
        extras = self._stores.memo_extras.get(memo.uid)
        comment_uids = [entry.other_uid for entry in extras.incoming(RelationType.COMMENT)]
        linked = self._linked_attachments(memo.uid, extras, comment_uids)
        for comment in self._stores.memos.get_many(comment_uids).values():
            if comment.parent_uid == memo.uid:
                self._mark_cascaded(comment.uid, memo.uid)
                self._delete_one(comment.uid)
        self._finish_comment_deletions(comment_uids)
        self._delete_one(memo.uid)
        self._delete_objects_of_deleted(linked)

    def _finish_comment_deletions(self, comment_uids: Sequence[str]) -> None:
        """Finish the deletes of this memo's comments that a fault left unfinished (the
        comment is gone, its extras item still marked); one read only for a comment gone."""
        gone = set(comment_uids) - self._stores.memos.existing_uids(comment_uids)
        for uid in sorted(gone):
            if pending_deletion.pending_creator(self._stores.table, uid) is not None:
                self.finish_deletion(uid)

    def _mark_cascaded(self, comment_uid: str, parent_uid: str) -> None:
        """Tell the change stream that this comment goes with its parent: no webhook for it
        (``memos.webhooks.events``). Any later write of the memo item drops the mark."""
        with contextlib.suppress(ConditionFailedError):
            self._stores.table.update(
                keys.memo_key(comment_uid),
                set_fields({CASCADE_MARKER: parent_uid}),
                condition=item_exists(),
                return_values="NONE",
            )

    def _delete_one(self, uid: str) -> None:
        """Delete one memo with everything of it, in one transaction when it fits.

        When it does not, the first transaction removes all a client sees (the memo, its
        listing copies, stats and attachments) and marks the extras item (``pending_deletion``);
        :meth:`_tidy_remaining` then tidies reactions and other memos' relation entries, the
        extras item last, so a retry after a fault in between can finish the job.
        """
        stores = self._stores
        marked: list[bool] = []

        def build() -> Writes:
            memo = stores.memos.get(uid)
            writes = Writes(stores.table)
            if memo is None:
                return writes
            extras = stores.memo_extras.get(uid)
            stores.memos.add_delete(writes, memo)
            self._add_stats(writes, memo, None)
            removed = self._add_attachment_deletes(writes, uid, extras)
            tidy = self._tidy_writes(uid, extras)
            if len(writes) + len(tidy) <= TRANSACTION_LIMIT:
                writes.extend(tidy)
                return writes
            first = Writes(stores.table)
            objects = {attachment.uid: object_keys([attachment]) for attachment in removed}
            pending_deletion.add_mark(first, uid, memo.creator_id, objects)
            first.extend(writes)
            marked.append(True)
            return first

        self._commit(build, retry_prefixes=("extras:",), split=True)
        if marked:
            self._tidy_remaining(uid)  # the caller deletes the objects of what it deleted

    def finish_deletion(self, uid: str) -> None:
        """Finish a delete that a fault cut short: tidy what remains (:meth:`_tidy_remaining`),
        then remove the S3 objects of the attachments whose records the delete removed, those
        the mark names (deleted by the first transaction) and any deleted now."""
        marked = pending_deletion.marked_objects(self._stores.table, uid)
        removed = self._tidy_remaining(uid)
        objects = {**marked, **{a.uid: object_keys([a]) for a in removed}}
        self._delete_objects_of_gone(objects)

    def _tidy_remaining(self, uid: str) -> list[Attachment]:
        """Tidy what remains of a memo deleted in several transactions: its attachments still
        linked, its reactions, the relation entries of memos still there, the extras item last.
        Each step can be repeated, so a retry after a fault carries on where it stopped.
        Returns the attachments whose records this removed."""
        stores = self._stores
        removed: list[Attachment] = []

        def build() -> Writes:
            writes = Writes(stores.table)
            extras = stores.memo_extras.get(uid)
            removed[:] = self._add_attachment_deletes(writes, uid, extras)
            writes.extend(self._tidy_writes(uid, extras))
            return writes

        self._commit(build, retry_prefixes=("extras:",), split=True)
        return removed

    def _add_attachment_deletes(
        self, writes: Writes, uid: str, extras: MemoExtras
    ) -> list[Attachment]:
        """Add the deletes of the attachments still linked to ``uid``; returns them."""
        stores = self._stores
        removed: list[Attachment] = []
        for attachment in stores.attachments.get_many(extras.attachments).values():
            if attachment.memo_uid == uid:
                stores.attachments.add_delete(writes, attachment)
                removed.append(attachment)
        return removed

    def _tidy_writes(self, uid: str, extras: MemoExtras) -> Writes:
        """The reactions, the mirror entries in related memos still there, and the extras item
        (last), of a memo being deleted."""
        stores = self._stores
        writes = Writes(stores.table)
        others = {entry.other_uid for entry in extras.relations} - {uid}
        alive = stores.memos.existing_uids(others)
        changes = ExtrasChanges()
        for entry in extras.relations:
            if entry.other_uid in alive:
                mirror = INCOMING if entry.direction == OUTGOING else OUTGOING
                changes.remove_entry(
                    entry.other_uid, "relations", relation_key(mirror, entry.type, uid)
                )
        for reaction in extras.reactions:
            writes.delete(keys.reaction_key(reaction.id))
        changes.add_to(writes)
        writes.delete(keys.memo_extras_key(uid))
        return writes

    def _linked_attachments(
        self, uid: str, extras: MemoExtras, comment_uids: Sequence[str]
    ) -> list[Attachment]:
        """The attachments of a memo and of its comments, whose objects go with them."""
        stores = self._stores
        owners = {uid: extras}
        if comment_uids:
            owners.update(stores.memo_extras.get_many(comment_uids))
        wanted = [key for owner in owners.values() for key in owner.attachments]
        if not wanted:
            return []
        found = stores.attachments.get_many(wanted).values()
        return [attachment for attachment in found if attachment.memo_uid in owners]

    def _delete_objects_of_deleted(self, attachments: Sequence[Attachment]) -> None:
        """S3 objects of the attachments whose records the delete removed (one moved to
        another memo meanwhile keeps its record, and its bytes)."""
        if not attachments:
            return
        remaining = self._stores.attachments.get_many(a.uid for a in attachments)
        gone = [attachment for attachment in attachments if attachment.uid not in remaining]
        delete_objects_after_commit(self._stores.blobs, gone)

    def _delete_objects_of_gone(self, objects: Mapping[str, Sequence[str]]) -> None:
        """Objects, by attachment uid, of attachments deleted earlier; an attachment whose uid
        has a record again (a create that chose it meanwhile) keeps its objects."""
        if not objects:
            return
        remaining = self._stores.attachments.get_many(objects)
        keys = [key for uid, found in objects.items() if uid not in remaining for key in found]
        delete_keys_after_commit(self._stores.blobs, keys)

    # Relations ----------------------------------------------------------------------------

    def set_references(self, memo: Memo, targets: Sequence[str]) -> None:
        """Make ``memo``'s outgoing REFERENCE relations exactly ``targets`` (existing memos)."""
        stores = self._stores
        wanted = list(dict.fromkeys(uid for uid in targets if uid != memo.uid))

        def build() -> Writes:
            extras = stores.memo_extras.get(memo.uid)
            current = {entry.other_uid for entry in extras.outgoing(RelationType.REFERENCE)}
            changes = ExtrasChanges()
            for other in current - set(wanted):
                changes.remove_relation(memo.uid, other, RelationType.REFERENCE)
            for other in wanted:
                if other not in current:
                    changes.add_relation(memo.uid, other, RelationType.REFERENCE)
            writes = Writes(stores.table)
            changes.add_to(writes)
            return writes

        try:
            self._commit(build)
        except WriteConflictError as conflict:
            raise NotFoundError(MEMO_NOT_FOUND) from conflict

    # Attachments --------------------------------------------------------------------------

    def set_attachments(self, memo: Memo, uids: Sequence[str], *, linked_by: int) -> None:
        """Link exactly the attachments ``uids`` names (in this order; an unknown one is
        NOT_FOUND, the first in request order named); previously linked ones not listed are
        deleted, as Memos does. An attachment not yet on this memo must have been uploaded by
        ``linked_by`` or by the memo's creator: anyone else's is NOT_FOUND, as DeleteAttachment
        answers. (Memos moves any attachment, so whoever knew a uid could take it off its
        owner's memo and show it on a PUBLIC memo of their own.)"""
        stores = self._stores
        wanted = list(dict.fromkeys(uids))
        removed: list[Attachment] = []

        def build() -> Writes:
            extras = stores.memo_extras.get(memo.uid)
            dropped = [uid for uid in extras.attachments if uid not in wanted]
            fresh = stores.attachments.get_many([*wanted, *dropped])  # one read for both
            removed[:] = [fresh[uid] for uid in dropped if uid in fresh]
            owners = (linked_by, memo.creator_id)
            for uid in wanted:
                found = fresh.get(uid)
                if found is None or (found.memo_uid != memo.uid and found.creator_id not in owners):
                    raise NotFoundError(f"attachment not found: {uid}")
            writes = Writes(stores.table)
            changes = ExtrasChanges()
            for uid in dropped:
                if uid in fresh:
                    stores.attachments.add_delete(writes, fresh[uid])
                changes.remove_entry(memo.uid, "attachments", uid)
            now = self.now()
            for index, uid in enumerate(reversed(wanted)):
                found = fresh[uid]
                position = now + index
                stores.attachments.add_link(writes, found, memo.uid, position)
                changes.set_entry(memo.uid, "attachments", uid, position)
                if found.memo_uid and found.memo_uid != memo.uid:
                    changes.remove_entry(found.memo_uid, "attachments", uid)
            changes.add_to(writes)
            return writes

        self._commit(build, retry_labels=tuple(f"attachment:{uid}" for uid in wanted))
        delete_objects_after_commit(stores.blobs, removed)  # their records are gone now

    # Reactions ----------------------------------------------------------------------------

    def add_reaction(self, memo: Memo, creator_id: int, reaction_type: str) -> StoredReaction:
        stores = self._stores
        reaction = StoredReaction(
            id=stores.counters.next_id("reactions"),
            memo_uid=memo.uid,
            creator_id=creator_id,
            reaction_type=reaction_type,
            created_ts=self.now(),
        )
        writes = Writes(stores.table)
        writes.add(stores.table.put_new_op(reaction_lookup_item(reaction)))  # fresh id: retry-safe
        changes = ExtrasChanges()
        key = reaction_key(creator_id, reaction_type)
        changes.set_entry(memo.uid, "reactions", key, reaction_entry(reaction))
        changes.require_absent(memo.uid, "reactions", key)
        changes.add_to(writes)
        try:
            writes.commit()
        except WriteConflictError as conflict:
            if stores.memos.get(memo.uid) is None:
                raise NotFoundError(MEMO_NOT_FOUND) from conflict
            raise AlreadyExistsError(
                f"reaction {reaction_type!r} by this user already exists on this memo"
            ) from conflict
        return reaction

    def delete_reaction(self, reaction: StoredReaction) -> None:
        stores = self._stores
        writes = Writes(stores.table)
        writes.delete(keys.reaction_key(reaction.id))
        changes = ExtrasChanges()
        changes.remove_entry(
            reaction.memo_uid,
            "reactions",
            reaction_key(reaction.creator_id, reaction.reaction_type),
        )
        changes.add_to(writes)
        try:
            writes.commit()
        except WriteConflictError:
            # The memo (and its extras) is gone: only the lookup item is left to remove.
            stores.table.delete(keys.reaction_key(reaction.id))

    # Shared -------------------------------------------------------------------------------

    def _add_stats(self, writes: Writes, old: Memo | None, new: Memo | None) -> None:
        affected = memo_stats.affected_stats(old, new)
        if not affected:
            return
        creator_id = affected[0][0]
        current = self._stores.user_stats.get(creator_id, [vis for _, vis in affected])
        for stats in current:
            self._stores.user_stats.add_save(writes, memo_stats.apply_write(stats, old, new))

    def _commit(
        self,
        build: Callable[[], Writes],
        *,
        retry_labels: Sequence[str] = (),
        retry_prefixes: Sequence[str] = (),
        split: bool = False,
    ) -> None:
        """Commit what ``build`` makes; rebuild and retry when only shared items raced."""
        for attempt in range(_ATTEMPTS):
            writes = build()
            try:
                if split and len(writes) > TRANSACTION_LIMIT:
                    writes.commit_in_chunks()
                else:
                    writes.commit()
            except WriteConflictError as conflict:
                retryable = all(
                    label.startswith(("stats:", *retry_prefixes)) or label in retry_labels
                    for label in conflict.labels
                )
                if not retryable or attempt == _ATTEMPTS - 1:
                    if retryable:
                        break
                    raise
                time.sleep(random.uniform(0, min(0.005 * 2**attempt, 0.2)))  # noqa: S311
                continue
            return
        raise UnavailableError("too many concurrent changes to this memo; try again")
