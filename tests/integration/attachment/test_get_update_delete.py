"""GetAttachment, UpdateAttachment and DeleteAttachment beyond the access matrix (spec §3.3-3.5),
and the order of DeleteAttachment's two writes."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from memos.store.blobs import attachment_object_key, thumbnail_object_key
from tests.integration.attachment.conftest import (
    add_memo,
    add_user,
    build_api,
    ticking_clock,
    token_of,
)

if TYPE_CHECKING:
    from pathlib import Path

    from memos.store import Stores
    from tests.integration.attachment.conftest import AttachmentApi, MemoryBlobs


@pytest.fixture
def api(stores: Stores, tmp_path: Path) -> AttachmentApi:
    """Each write takes the next second."""
    return build_api(stores, tmp_path, ticking_clock())


def _uid(created: dict[str, object]) -> str:
    return str(created["name"]).removeprefix("attachments/")


@pytest.mark.parametrize("method", ["GetAttachment", "DeleteAttachment"])
@pytest.mark.parametrize("name", ["", "attachments/", "memos/abc", "attachments/a/b"])
def test_malformed_names_are_invalid_argument(
    api: AttachmentApi, stores: Stores, method: str, name: str
) -> None:
    token = token_of(add_user(stores, "alice"))
    status, code, message = api.error(method, {"name": name}, token)
    assert (status, code) == (400, "invalid_argument")
    assert message.startswith("invalid attachment name")


def test_get_unknown_attachment_is_not_found(api: AttachmentApi, stores: Stores) -> None:
    token = token_of(add_user(stores, "alice"))
    assert api.error("GetAttachment", {"name": "attachments/nope"}, token) == (
        404,
        "not_found",
        "attachment not found",
    )


def test_update_needs_a_mask(api: AttachmentApi, stores: Stores) -> None:
    token = token_of(add_user(stores, "alice"))
    uid = _uid(api.create(token, "a.txt", b"a"))
    body = {"attachment": {"name": f"attachments/{uid}", "filename": "b.txt"}}
    assert api.error("UpdateAttachment", body, token) == (
        400,
        "invalid_argument",
        "update mask is required",
    )


def test_update_validates_the_new_filename(api: AttachmentApi, stores: Stores) -> None:
    token = token_of(add_user(stores, "alice"))
    uid = _uid(api.create(token, "a.txt", b"a"))
    body = {
        "attachment": {"name": f"attachments/{uid}", "filename": "../b.txt"},
        "updateMask": "filename",
    }
    status, _, message = api.error("UpdateAttachment", body, token)
    assert (status, message) == (400, "filename contains invalid characters or format")


def test_update_applies_only_the_filename(api: AttachmentApi, stores: Stores) -> None:
    # Given a text attachment
    token = token_of(add_user(stores, "alice"))
    uid = _uid(api.create(token, "a.txt", b"abc"))

    # When a rename also asks to change the type and size
    body = {
        "attachment": {
            "name": f"attachments/{uid}",
            "filename": "renamed.txt",
            "type": "image/png",
            "size": "99",
        },
        "updateMask": "filename,type,size",
    }
    updated = api.ok("UpdateAttachment", body, token)

    # Then only the name changed
    assert (updated["filename"], updated["type"], updated["size"]) == (
        "renamed.txt",
        "text/plain",
        "3",
    )


def test_update_moves_the_attachment_to_the_front_of_its_memo(
    api: AttachmentApi, stores: Stores
) -> None:
    # Given a memo with two attachments, the newer first
    user = add_user(stores, "alice")
    token = token_of(user)
    add_memo(stores, user.id, "memo1")
    older = _uid(api.create(token, "older.txt", b"o", memo="memos/memo1"))
    newer = _uid(api.create(token, "newer.txt", b"n", memo="memos/memo1"))
    assert stores.memo_extras.get("memo1").attachment_uids() == [newer, older]

    # When the older one is updated with a mask naming nothing it applies
    body = {"attachment": {"name": f"attachments/{older}"}, "updateMask": "memo"}
    api.ok("UpdateAttachment", body, token)

    # Then it leads its memo's attachments
    assert stores.memo_extras.get("memo1").attachment_uids() == [older, newer]
    memo = api.ok("GetMemo", {"name": "memos/memo1"}, token, service="MemoService")
    assert [a["filename"] for a in memo["attachments"]] == ["older.txt", "newer.txt"]


def test_delete_removes_record_link_bytes_and_thumbnail(
    api: AttachmentApi, stores: Stores, blobs: MemoryBlobs
) -> None:
    # Given a linked attachment with a thumbnail
    user = add_user(stores, "alice")
    token = token_of(user)
    add_memo(stores, user.id, "memo1")
    uid = _uid(api.create(token, "a.txt", b"a", memo="memos/memo1"))
    blobs.objects[thumbnail_object_key(uid)] = (b"t", "image/png")

    # When its uploader deletes it
    api.ok("DeleteAttachment", {"name": f"attachments/{uid}"}, token)

    # Then nothing of it is left on either side
    assert stores.attachments.get(uid) is None
    assert stores.memo_extras.get("memo1").attachment_uids() == []
    assert blobs.objects == {}


def test_delete_keeps_the_record_when_s3_refuses_and_a_retry_finishes(
    api: AttachmentApi, stores: Stores, blobs: MemoryBlobs
) -> None:
    # Given an attachment, and S3 refusing deletes
    token = token_of(add_user(stores, "alice"))
    uid = _uid(api.create(token, "a.txt", b"a"))
    blobs.fail_deletes = True

    # When it is deleted
    status, code, message = api.error("DeleteAttachment", {"name": f"attachments/{uid}"}, token)

    # Then the call fails as retryable and the record still leads to its bytes
    assert (status, code) == (503, "unavailable")
    assert "try again" in message
    assert stores.attachments.get(uid) is not None
    assert attachment_object_key(uid) in blobs.objects

    # And once S3 answers again, the retry deletes both
    blobs.fail_deletes = False
    api.ok("DeleteAttachment", {"name": f"attachments/{uid}"}, token)
    assert stores.attachments.get(uid) is None
    assert blobs.objects == {}


def test_delete_whose_record_write_fails_can_be_retried(
    api: AttachmentApi, stores: Stores, blobs: MemoryBlobs, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given an attachment, and a table refusing the record delete once
    token = token_of(add_user(stores, "alice"))
    uid = _uid(api.create(token, "a.txt", b"a"))
    original = stores.table.transact
    failures = [RuntimeError("table unavailable")]

    def flaky(operations: object) -> None:
        if failures:
            raise failures.pop()
        original(operations)  # type: ignore[arg-type]

    monkeypatch.setattr(stores.table, "transact", flaky)

    # When it is deleted twice (the first call fails after the objects went)
    first = api.connect("DeleteAttachment", {"name": f"attachments/{uid}"}, token)
    second = api.connect("DeleteAttachment", {"name": f"attachments/{uid}"}, token)

    # Then the retry finishes the job: no record, no object
    assert first.status == 500
    assert second.status == 200
    assert stores.attachments.get(uid) is None
    assert blobs.objects == {}
