"""Writing a new attachment's record: the uid rule, the memo link on both sides, no half writes."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from functions.attachment.records import (
    new_attachment_uid,
    record_new_attachment,
    touch_attachment,
)
from memos.errors import AlreadyExistsError, InvalidArgumentError, NotFoundError
from memos.store import keys
from memos.store.blobs import attachment_object_key
from tests.integration.attachment.conftest import add_memo, add_user

if TYPE_CHECKING:
    from memos.store import Stores


def _record(stores: Stores, creator_id: int, **overrides: object) -> object:
    arguments: dict[str, object] = {
        "creator_id": creator_id,
        "filename": "notes.txt",
        "mime_type": "text/plain",
        "size": 5,
        "storage_key": attachment_object_key("x"),
        "memo_uid": None,
        **overrides,
    }
    return record_new_attachment(stores, **arguments)  # type: ignore[arg-type]


def test_new_uid_is_a_22_character_short_uuid() -> None:
    # When a uid is generated
    uid = new_attachment_uid()

    # Then it has Memos' length and alphabet (no look-alike characters)
    assert len(uid) == 22
    assert not set(uid) & set("01IOl")


def test_record_without_memo_is_stored_unlinked(stores: Stores) -> None:
    # Given a user
    user = add_user(stores, "alice")

    # When a record is written with a generated uid
    created = record_new_attachment(
        stores,
        creator_id=user.id,
        filename="notes.txt",
        mime_type="text/plain",
        size=5,
        storage_key="attachments/k",
        memo_uid=None,
        clock=lambda: 1_700_000_123,
    )

    # Then the store holds it as written, unlinked
    stored = stores.attachments.get(created.uid)
    assert stored == created
    assert stored is not None
    assert stored.memo_uid is None
    assert stored.created_ts == stored.updated_ts == 1_700_000_123
    assert len(stored.uid) == 22


def test_record_with_memo_links_both_sides(stores: Stores) -> None:
    # Given a memo
    user = add_user(stores, "alice")
    memo = add_memo(stores, user.id, "memo1")

    # When a record names it
    created = record_new_attachment(
        stores,
        creator_id=user.id,
        filename="a.png",
        mime_type="image/png",
        size=3,
        storage_key="attachments/a1",
        memo_uid=memo.uid,
        uid="a1",
    )

    # Then the record and the memo's extras both carry the link
    assert created.memo_uid == "memo1"
    assert stores.memo_extras.get("memo1").attachment_uids() == ["a1"]


def test_record_naming_a_missing_memo_is_not_found_and_writes_nothing(stores: Stores) -> None:
    # Given no memo "ghost"
    user = add_user(stores, "alice")

    # When a record names it
    with pytest.raises(NotFoundError, match=r"memo not found: memos/ghost"):
        _record(stores, user.id, memo_uid="ghost", uid="a1")

    # Then no record was written
    assert stores.attachments.get("a1") is None


def test_record_with_a_taken_uid_is_already_exists(stores: Stores) -> None:
    # Given an attachment "a1" (linked or not, the uid is taken)
    user = add_user(stores, "alice")
    add_memo(stores, user.id, "memo1")
    _record(stores, user.id, uid="a1", filename="first.txt")

    # When another record takes the same uid, with or without a memo
    for memo_uid in (None, "memo1"):
        with pytest.raises(AlreadyExistsError, match='attachment with ID "a1" already exists'):
            _record(stores, user.id, uid="a1", memo_uid=memo_uid)

    # Then the first record is untouched
    stored = stores.attachments.get("a1")
    assert stored is not None
    assert stored.filename == "first.txt"
    assert stored.memo_uid is None


@pytest.mark.parametrize("uid", ["has space", "-leading", "trailing-", "x" * 33, "ünï"])
def test_record_with_an_invalid_uid_is_invalid_argument(stores: Stores, uid: str) -> None:
    # Given a user
    user = add_user(stores, "alice")

    # When a record is given a uid the store could not keep / Then it is refused clearly
    with pytest.raises(InvalidArgumentError, match="invalid attachment_id format"):
        _record(stores, user.id, uid=uid)


def test_touch_updates_a_record_whose_memo_is_gone(stores: Stores) -> None:
    # Given a linked record whose memo's extras have vanished (a delete cut short)
    user = add_user(stores, "alice")
    add_memo(stores, user.id, "memo1")
    _record(stores, user.id, uid="a1", memo_uid="memo1")
    stores.table.delete(keys.memo_extras_key("memo1"))

    # When it is renamed
    touched = touch_attachment(stores, "a1", filename="b.txt", clock=lambda: 1_800_000_000)

    # Then the record changes alone
    assert (touched.filename, touched.updated_ts) == ("b.txt", 1_800_000_000)
    assert stores.attachments.get("a1") == touched


def test_touch_of_a_missing_record_is_not_found(stores: Stores) -> None:
    with pytest.raises(NotFoundError, match="attachment not found"):
        touch_attachment(stores, "nope", filename=None)
