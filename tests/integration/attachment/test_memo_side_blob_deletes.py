"""Memo calls that delete attachments take their S3 objects too, after the records are gone;
S3 refusing never fails the memo call (spec attachments.md §3.6)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from memos.store.blobs import attachment_object_key, thumbnail_object_key
from tests.integration.attachment.conftest import add_memo, add_user, token_of

if TYPE_CHECKING:
    import pytest

    from memos.store import Stores
    from tests.integration.attachment.conftest import AttachmentApi, MemoryBlobs


def _upload(api: AttachmentApi, token: str, filename: str, memo: str) -> str:
    created = api.create(token, filename, filename.encode(), memo=memo)
    return str(created["name"]).removeprefix("attachments/")


def _set_attachments(api: AttachmentApi, token: str, memo: str, uids: list[str]) -> None:
    body = {"name": memo, "attachments": [{"name": f"attachments/{uid}"} for uid in uids]}
    api.ok("SetMemoAttachments", body, token, service="MemoService")


def test_dropping_an_attachment_deletes_its_objects(
    api: AttachmentApi, stores: Stores, blobs: MemoryBlobs
) -> None:
    # Given a memo with two uploaded attachments, one with a thumbnail
    user = add_user(stores, "alice")
    token = token_of(user)
    add_memo(stores, user.id, "memo1")
    kept = _upload(api, token, "kept.txt", "memos/memo1")
    dropped = _upload(api, token, "dropped.txt", "memos/memo1")
    blobs.objects[thumbnail_object_key(dropped)] = (b"thumb", "image/png")

    # When the memo's attachments are set to the first only
    _set_attachments(api, token, "memos/memo1", [kept])

    # Then the dropped one's record, bytes and thumbnail are gone; the kept one's bytes stay
    assert stores.attachments.get(dropped) is None
    assert set(blobs.objects) == {attachment_object_key(kept)}


def test_dropping_an_attachment_succeeds_when_s3_refuses(
    api: AttachmentApi, stores: Stores, blobs: MemoryBlobs, caplog: pytest.LogCaptureFixture
) -> None:
    # Given a memo with an attachment, and S3 refusing deletes
    user = add_user(stores, "alice")
    token = token_of(user)
    add_memo(stores, user.id, "memo1")
    dropped = _upload(api, token, "dropped.txt", "memos/memo1")
    blobs.fail_deletes = True

    # When the attachment is dropped
    _set_attachments(api, token, "memos/memo1", [])

    # Then the memo call succeeded, the record is gone, and the leftover is logged by count only
    assert stores.attachments.get(dropped) is None
    assert "attachment objects left after their records were deleted: 2" in caplog.text
    assert dropped not in caplog.text


def test_deleting_a_memo_deletes_its_and_its_comments_attachment_objects(
    api: AttachmentApi, stores: Stores, blobs: MemoryBlobs
) -> None:
    # Given a memo with an attachment, a comment with one, and an unrelated attachment
    user = add_user(stores, "alice")
    token = token_of(user)
    memo = api.ok("CreateMemo", {"memo": {"content": "parent"}}, token, service="MemoService")
    comment = api.ok(
        "CreateMemoComment",
        {"name": memo["name"], "comment": {"content": "a comment"}},
        token,
        service="MemoService",
    )
    on_memo = _upload(api, token, "memo.txt", memo["name"])
    on_comment = _upload(api, token, "comment.txt", comment["name"])
    unrelated = str(api.create(token, "other.txt", b"other")["name"]).removeprefix("attachments/")

    # When the memo is deleted
    api.ok("DeleteMemo", {"name": memo["name"]}, token, service="MemoService")

    # Then the attachments of the memo and its comment are gone with their objects
    assert stores.attachments.get(on_memo) is None
    assert stores.attachments.get(on_comment) is None
    assert set(blobs.objects) == {attachment_object_key(unrelated)}
    assert thumbnail_object_key(on_memo) in blobs.deleted


def test_deleting_a_memo_succeeds_when_s3_refuses(
    api: AttachmentApi, stores: Stores, blobs: MemoryBlobs, caplog: pytest.LogCaptureFixture
) -> None:
    # Given a memo with an attachment, and S3 refusing deletes
    user = add_user(stores, "alice")
    token = token_of(user)
    add_memo(stores, user.id, "memo1")
    attached = _upload(api, token, "a.txt", "memos/memo1")
    blobs.fail_deletes = True

    # When the memo is deleted
    api.ok("DeleteMemo", {"name": "memos/memo1"}, token, service="MemoService")

    # Then the memo and the record are gone, and the leftover objects are logged by count
    assert stores.memos.get("memo1") is None
    assert stores.attachments.get(attached) is None
    assert "attachment objects left after their records were deleted: 2" in caplog.text
