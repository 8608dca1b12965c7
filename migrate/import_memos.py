"""Memos and comments, their references and reactions.

Each memo is created by the memo write path (:class:`functions.memo.writing.MemoWriter`) with
its own id, uid, times, visibility, state, pinned flag and location; tags, properties and the
snippet are derived again from the content by this project's Markdown parser, and the listing
copies, tag listings and the creator's stats are written in the same transaction, as for a memo
made through the API. Comments come after every top-level memo, so their parent is there.

A memo is "ours" in the target when the target's memo with that uid has the source's id and
creator: then it is skipped on a second run. Any other memo under that uid is a conflict, and
nothing is attached to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from msgspec import Struct

from functions.memo.service import MAX_CONTENT_BYTES
from functions.memo.writing import MemoDraft, MemoWriter
from memos.domain.enums import RelationType, State
from memos.errors import AlreadyExistsError, NotFoundError
from memos.store.memo_extras import (
    REACTION_COUNTER,
    ExtrasChanges,
    StoredReaction,
    reaction_entry,
    reaction_key,
    reaction_lookup_item,
)
from memos.store.memos import MEMO_COUNTER, Location
from memos.store.table import item_absent
from memos.store.users import USER_COUNTER
from memos.store.writes import WriteConflictError, Writes
from migrate.report import Outcome
from migrate.source import in_chunks, json_value

if TYPE_CHECKING:
    from memos.store.memo_extras import MemoExtras
    from memos.store.memos import Memo
    from migrate.context import ImportContext
    from migrate.source import Row

MEMOS = "memos"
REFERENCES = "references"
REACTIONS = "reactions"


def memo_draft(row: Row) -> MemoDraft:
    payload = json_value(row["payload"])
    raw_location: dict[str, Any] | None = payload.get("location")
    location = None
    if isinstance(raw_location, dict):
        location = Location(
            placeholder=str(raw_location.get("placeholder", "")),
            latitude=float(raw_location.get("latitude", 0)),
            longitude=float(raw_location.get("longitude", 0)),
        )
    return MemoDraft(
        content=str(row["content"] or ""),
        visibility=str(row["visibility"]),
        created_ts=int(row["created_ts"]),
        updated_ts=int(row["updated_ts"]),
        location=location,
        state=State.ARCHIVED.value if row["row_status"] == "ARCHIVED" else State.NORMAL.value,
        pinned=bool(row["pinned"]),
    )


def is_ours(memo: Memo | None, memo_id: int, creator_id: int | None = None) -> bool:
    """Whether the target's memo is the source's memo ``memo_id`` (by id and creator)."""
    if memo is None or memo.id != memo_id:
        return False
    return creator_id is None or memo.creator_id == creator_id


def import_memos(context: ImportContext) -> None:
    report = context.report
    report.start(MEMOS, context.source.count("SELECT COUNT(*) FROM memo"))
    writer = MemoWriter(context.stores)
    for chunk in in_chunks(context.source.memos()):
        context.reserve_ids(MEMO_COUNTER, chunk)
        # Memos of users deleted in Memos keep their creator id: no new user may get it.
        context.reserve_ids(USER_COUNTER, chunk, "creator_id")
        # One read for the chunk's memos and the parents of its comments.
        wanted = {str(row["uid"]) for row in chunk}
        wanted |= {str(row["parent_uid"]) for row in chunk if row["parent_uid"] is not None}
        known = context.stores.memos.get_many(wanted)
        for row in chunk:
            name = f"memo {row['id']} ({row['uid']})"
            try:
                outcome, note = _import_memo(context, writer, row, known)
            except Exception as error:  # reported with the row; the run goes on
                outcome, note = Outcome.ERROR, str(error)
            report.record(MEMOS, outcome, f"{name}: {note}" if note else "")


def _import_memo(  # noqa: PLR0911 - one return per outcome
    context: ImportContext, writer: MemoWriter, row: Row, known: dict[str, Memo]
) -> tuple[Outcome, str]:
    memo_id, uid, creator_id = int(row["id"]), str(row["uid"]), int(row["creator_id"])
    existing = known.get(uid)
    if existing is not None:
        if is_ours(existing, memo_id, creator_id):
            return Outcome.SKIPPED, ""
        return Outcome.CONFLICT, f"the target's memo {uid} is another memo ({existing.id})"
    if creator_id in context.source_users and creator_id not in context.own_users:
        return Outcome.SKIPPED, f"its creator (user {creator_id}) was not imported"
    size = len(str(row["content"] or "").encode())
    if size > MAX_CONTENT_BYTES:  # before the Markdown pass, which would take minutes on it
        return (
            Outcome.ERROR,
            f"its content is {size} bytes, over the {MAX_CONTENT_BYTES} a memo holds",
        )
    parent = None
    if row["parent_uid"] is not None:
        parent_uid = str(row["parent_uid"])
        # (a parent written earlier in this same chunk was not there when it was read)
        parent = known.get(parent_uid) or context.stores.memos.get(parent_uid)
        if not context.dry_run and not is_ours(parent, int(row["parent_id"])):
            return Outcome.SKIPPED, f"its parent memo {row['parent_uid']} was not imported"
    if context.dry_run:
        return Outcome.IMPORTED, ""
    try:
        writer.create(creator_id, uid, memo_draft(row), parent=parent, memo_id=memo_id)
    except AlreadyExistsError as error:
        return Outcome.CONFLICT, str(error)
    except NotFoundError:
        return Outcome.SKIPPED, f"its parent memo {row['parent_uid']} is gone"
    return Outcome.IMPORTED, ""


def import_references(context: ImportContext) -> None:
    report = context.report
    report.start(
        REFERENCES,
        context.source.count("SELECT COUNT(*) FROM memo_relation WHERE type = 'REFERENCE'"),
    )
    for row in context.source.references():
        name = f"reference {row['uid']} -> {row['target_uid']}"
        try:
            outcome, note = _import_reference(context, row)
        except Exception as error:  # reported with the row; the run goes on
            outcome, note = Outcome.ERROR, str(error)
        report.record(REFERENCES, outcome, f"{name}: {note}" if note else "")


def _import_reference(context: ImportContext, row: Row) -> tuple[Outcome, str]:
    stores = context.stores
    source, target = str(row["uid"]), str(row["target_uid"])
    if context.dry_run:
        return Outcome.IMPORTED, ""
    found = stores.memos.get_many([source, target])
    if not (
        is_ours(found.get(source), int(row["source_id"]))
        and is_ours(found.get(target), int(row["target_id"]))
    ):
        return Outcome.SKIPPED, "one of its memos was not imported"
    extras = stores.memo_extras.get(source)
    if any(entry.other_uid == target for entry in extras.outgoing(RelationType.REFERENCE)):
        return Outcome.SKIPPED, ""
    changes = ExtrasChanges()
    changes.add_relation(source, target, RelationType.REFERENCE.value)
    writes = Writes(stores.table)
    changes.add_to(writes)
    try:
        writes.commit()
    except WriteConflictError:
        return Outcome.SKIPPED, "one of its memos is gone"
    return Outcome.IMPORTED, ""


def import_reactions(context: ImportContext) -> None:
    report = context.report
    report.start(REACTIONS, context.source.count("SELECT COUNT(*) FROM reaction"))
    stores = context.stores
    for chunk in in_chunks(context.source.reactions()):
        context.reserve_ids(REACTION_COUNTER, chunk)
        # One read of the chunk's memos and their extras, instead of two per reaction.
        uids = {str(row["memo_uid"]) for row in chunk if row["memo_uid"] is not None}
        seen = (
            _Seen({}, {})
            if context.dry_run
            else _Seen(stores.memos.get_many(uids), stores.memo_extras.get_many(uids))
        )
        for row in chunk:
            name = f"reaction {row['id']} ({row['content_id']})"
            try:
                outcome, note = _import_reaction(context, row, seen)
            except Exception as error:  # reported with the row; the run goes on
                outcome, note = Outcome.ERROR, str(error)
            report.record(REACTIONS, outcome, f"{name}: {note}" if note else "")


class _Seen(Struct, frozen=True):
    """The target's memos and their extras, as read for one chunk of reactions."""

    memos: dict[str, Memo]
    extras: dict[str, MemoExtras]


def _import_reaction(  # noqa: PLR0911 - one return per outcome
    context: ImportContext, row: Row, seen: _Seen
) -> tuple[Outcome, str]:
    creator_id = int(row["creator_id"])
    if row["memo_uid"] is None:
        return Outcome.SKIPPED, "its memo is gone"
    if creator_id in context.source_users and creator_id not in context.own_users:
        return Outcome.SKIPPED, f"its creator (user {creator_id}) was not imported"
    if context.dry_run:
        return Outcome.IMPORTED, ""
    reaction = StoredReaction(
        id=int(row["id"]),
        memo_uid=str(row["memo_uid"]),
        creator_id=creator_id,
        reaction_type=str(row["reaction_type"]),
        created_ts=int(row["created_ts"]),
    )
    if not is_ours(seen.memos.get(reaction.memo_uid), int(row["memo_id"])):
        return Outcome.SKIPPED, "its memo was not imported"
    extras = seen.extras.get(reaction.memo_uid)
    if extras is not None and any(stored.id == reaction.id for stored in extras.reactions):
        return Outcome.SKIPPED, ""
    key = reaction_key(reaction.creator_id, reaction.reaction_type)
    writes = Writes(context.stores.table)
    writes.put(reaction_lookup_item(reaction), condition=item_absent(), label="reaction")
    changes = ExtrasChanges()
    changes.set_entry(reaction.memo_uid, "reactions", key, reaction_entry(reaction))
    changes.require_absent(reaction.memo_uid, "reactions", key)
    changes.add_to(writes)
    try:
        writes.commit()
    except WriteConflictError as conflict:
        if "reaction" in conflict.labels:
            return Outcome.CONFLICT, f"the target has another reaction with id {reaction.id}"
        return Outcome.SKIPPED, "the same person already reacted so to this memo in the target"
    return Outcome.IMPORTED, ""
