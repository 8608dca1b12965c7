"""Which stream records are memo webhook events (spec memos.md §11)."""

from __future__ import annotations

from typing import Any

import pytest

from memos.store.codec import to_item
from memos.store.memos import Memo, memo_item
from memos.webhooks.events import CASCADE_MARKER, ActivityType, event_from_record

MEMO = Memo(
    id=1,
    uid="abc",
    creator_id=3,
    content="hi",
    visibility="PUBLIC",
    state="NORMAL",
    created_ts=1_700_000_000,
    updated_ts=1_700_000_000,
)


def record(name: str, new: dict[str, Any] | None, old: dict[str, Any] | None) -> dict[str, Any]:
    change: dict[str, Any] = {"SequenceNumber": "1"}
    if new is not None:
        change["NewImage"] = to_item(new)
    if old is not None:
        change["OldImage"] = to_item(old)
    return {"eventID": "e1", "eventName": name, "dynamodb": change}


@pytest.mark.parametrize(
    ("name", "new", "old", "expected"),
    [
        ("INSERT", memo_item(MEMO), None, ActivityType.CREATED),
        ("MODIFY", {**memo_item(MEMO), "pinned": True}, memo_item(MEMO), ActivityType.UPDATED),
        ("REMOVE", None, memo_item(MEMO), ActivityType.DELETED),
    ],
)
def test_memo_item_changes_are_events(
    name: str, new: dict[str, Any] | None, old: dict[str, Any] | None, expected: ActivityType
) -> None:
    # Given a stream record of the memo item itself
    # When it is read
    event = event_from_record(record(name, new, old))

    # Then it is the matching event, carrying the memo and the record id
    assert event is not None
    assert event.activity_type is expected
    assert event.memo.uid == "abc"
    assert event.record_id == "e1"


@pytest.mark.parametrize("entity", ["MEMO_LISTING", "MEMO_EXTRAS", "WEBHOOK", "REACTION"])
def test_other_items_of_a_memo_are_not_events(entity: str) -> None:
    # Given records of listing copies, extras (reactions, relations, attachments) and others
    item = {**memo_item(MEMO), "entity": entity}

    # When they are read
    found = [
        event_from_record(record("INSERT", item, None)),
        event_from_record(record("MODIFY", item, item)),
        event_from_record(record("REMOVE", None, item)),
    ]

    # Then none is an event
    assert found == [None, None, None]


def test_a_comment_deleted_with_its_parent_is_not_an_event() -> None:
    # Given a comment marked by its parent's delete, then removed
    comment = {**memo_item(MEMO), "parent_uid": "parent"}
    marked = {**comment, CASCADE_MARKER: "parent"}

    # When the marking write and the removal are read
    marking = event_from_record(record("MODIFY", marked, comment))
    removal = event_from_record(record("REMOVE", None, marked))

    # Then neither is an event
    assert marking is None
    assert removal is None


def test_a_marked_comment_updated_later_is_announced_again() -> None:
    # Given a comment whose cascade was cut short (still marked) and that is then edited,
    # which rewrites the whole item without the mark
    comment = {**memo_item(MEMO), "parent_uid": "parent"}
    marked = {**comment, CASCADE_MARKER: "parent"}

    # When the edit is read
    event = event_from_record(record("MODIFY", {**comment, "content": "new"}, marked))

    # Then it is an update
    assert event is not None
    assert event.activity_type is ActivityType.UPDATED
