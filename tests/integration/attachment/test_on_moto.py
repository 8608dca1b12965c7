"""AttachmentService against moto's DynamoDB and S3 through boto3: the object as S3 keeps it."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

import pytest

from memos.store.blobs import attachment_object_key
from tests.integration.attachment.conftest import add_memo, add_user, build_api, token_of

if TYPE_CHECKING:
    from pathlib import Path

    from memos.store import Stores
    from tests.integration.attachment.conftest import AttachmentApi


@pytest.fixture
def stores(bucket_stores: Stores) -> Stores:
    return bucket_stores


@pytest.fixture
def api(bucket_stores: Stores, tmp_path: Path) -> AttachmentApi:
    return build_api(bucket_stores, tmp_path)


def test_upload_read_and_delete_through_s3(api: AttachmentApi, stores: Stores) -> None:
    # Given a user and a memo
    user = add_user(stores, "alice")
    token = token_of(user)
    add_memo(stores, user.id, "memo1", "PUBLIC")

    # When a PDF is uploaded onto the memo
    created = api.create(token, "paper.pdf", b"%PDF-1.7 tiny", memo="memos/memo1")
    uid = str(created["name"]).removeprefix("attachments/")

    # Then S3 holds its bytes, encrypted, with its type and length
    head = stores.blobs.client.head_object(
        Bucket=stores.blobs.bucket, Key=attachment_object_key(uid)
    )
    assert head["ContentType"] == "application/pdf"
    assert head["ContentLength"] == len(b"%PDF-1.7 tiny")
    assert head["ServerSideEncryption"] == "AES256"
    # And the record and the memo both show it
    assert api.ok("GetAttachment", {"name": created["name"]}, token)["type"] == "application/pdf"
    memo = api.ok("GetMemo", {"name": "memos/memo1"}, token, service="MemoService")
    assert [a["name"] for a in memo["attachments"]] == [created["name"]]

    # When it is deleted
    api.ok("DeleteAttachment", {"name": created["name"]}, token)

    # Then the object is gone too
    assert stores.blobs.head(attachment_object_key(uid)) is None


def test_memo_lists_the_attachments_it_was_created_with(api: AttachmentApi, stores: Stores) -> None:
    # Given two text attachments uploaded by one user (spec §9, TestListMemos)
    token = token_of(add_user(stores, "u1"))
    hello = api.create(token, "hello.txt", b"hello")
    world = api.create(token, "world.txt", b"world")

    # When a memo is created naming them
    api.ok(
        "CreateMemo",
        {"memo": {"content": "with files", "attachments": [hello, world]}},
        token,
        service="MemoService",
    )

    # Then the listed memo carries exactly those two, without their content
    listed = api.ok("ListMemos", {}, token, service="MemoService")["memos"][0]
    assert sorted(a["name"] for a in listed["attachments"]) == sorted(
        [hello["name"], world["name"]]
    )
    assert all("content" not in a for a in listed["attachments"])
    assert base64.b64encode(b"hello").decode() not in str(listed)
