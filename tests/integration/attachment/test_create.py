"""CreateAttachment: validation order, type derivation, the bytes in S3 before the record, and
nothing left behind when the record cannot be written (spec attachments.md §3.1, §9)."""

from __future__ import annotations

import base64
import io
from typing import TYPE_CHECKING

import pytest
from PIL import Image

from memos.domain.enums import Role
from memos.store.blobs import attachment_object_key
from tests.integration.attachment.conftest import add_memo, add_user, token_of

if TYPE_CHECKING:
    from memos.store import Stores
    from tests.integration.attachment.conftest import AttachmentApi, MemoryBlobs

PNG_MAGIC = bytes([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])


def _uid(name: str) -> str:
    return name.removeprefix("attachments/")


def test_create_stores_bytes_in_s3_and_answers_without_content(
    api: AttachmentApi, stores: Stores, blobs: MemoryBlobs
) -> None:
    # Given a signed-in user
    token = token_of(add_user(stores, "alice"))

    # When they upload a text file
    created = api.create(token, "notes.txt", b"hello")

    # Then the answer describes it without its bytes or a link
    uid = _uid(created["name"])
    assert len(uid) == 22
    assert created["filename"] == "notes.txt"
    assert created["type"] == "text/plain"
    assert created["size"] == "5"
    assert "content" not in created
    assert "externalLink" not in created
    assert "memo" not in created
    # And the bytes are in S3 under the uid, with their type
    assert blobs.objects[attachment_object_key(uid)] == (b"hello", "text/plain")


@pytest.mark.parametrize(
    ("filename", "content", "expected"),
    [
        ("test.png", b"fake png content", "image/png"),
        ("test.unknown", PNG_MAGIC, "image/png"),
        ("test.data", bytes([0, 1, 2, 3]), "application/octet-stream"),
    ],
)
def test_create_derives_the_type_when_none_is_sent(
    api: AttachmentApi, stores: Stores, filename: str, content: bytes, expected: str
) -> None:
    # Given a regular user (spec §9 TestCreateAttachment)
    token = token_of(add_user(stores, "alice"))

    # When a file is sent without a type / Then the extension, else the content, decides
    assert api.create(token, filename, content)["type"] == expected


def test_create_keeps_the_given_type(api: AttachmentApi, stores: Stores) -> None:
    token = token_of(add_user(stores, "alice"))
    assert api.create(token, "a.bin", b"x", type="application/x-custom")["type"] == (
        "application/x-custom"
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "attachment is required"),
        ({"attachment": {"filename": ""}}, "filename is required"),
        ({"attachment": {"filename": "../x.txt"}}, "filename contains invalid characters"),
        ({"attachment": {"filename": ".env"}}, "filename contains invalid characters"),
        (
            {"attachment": {"filename": "a.txt", "type": "text/plain; charset=utf-8"}},
            "invalid MIME type format",
        ),
        ({"attachment": {"filename": "a.txt", "memo": "notes/1"}}, "invalid memo name"),
        ({"attachment": {"filename": "a.txt"}, "attachmentId": "bad id"}, "invalid attachment_id"),
    ],
)
def test_create_refuses_bad_input_before_writing_anything(
    api: AttachmentApi, stores: Stores, blobs: MemoryBlobs, body: object, message: str
) -> None:
    # Given a signed-in user
    token = token_of(add_user(stores, "alice"))

    # When the request is malformed
    status, code, text = api.error("CreateAttachment", body, token)

    # Then it is INVALID_ARGUMENT, and nothing reached S3
    assert (status, code) == (400, "invalid_argument")
    assert message in text
    assert blobs.objects == {}


def test_create_without_a_user_is_unauthenticated(api: AttachmentApi) -> None:
    status, code, _ = api.error("CreateAttachment", {"attachment": {"filename": "a.txt"}})
    assert (status, code) == (401, "unauthenticated")


def test_create_accepts_empty_content(api: AttachmentApi, stores: Stores) -> None:
    token = token_of(add_user(stores, "alice"))
    created = api.create(token, "empty.txt", b"")
    assert created.get("size", "0") == "0"  # proto3 JSON leaves zero out
    assert created["type"] == "text/plain"


def test_create_with_a_memo_links_it(api: AttachmentApi, stores: Stores) -> None:
    # Given a memo of alice's
    alice = add_user(stores, "alice")
    add_memo(stores, alice.id, "memo1", "PUBLIC")

    # When alice uploads a file naming that memo
    created = api.create(token_of(alice), "a.txt", b"a", memo="memos/memo1")

    # Then it is linked on both sides
    assert created["memo"] == "memos/memo1"
    assert stores.memo_extras.get("memo1").attachment_uids() == [_uid(created["name"])]


@pytest.mark.parametrize("protocol", ["connect", "rest"])
@pytest.mark.parametrize("visibility", ["PUBLIC", "PRIVATE"])
def test_create_naming_someone_elses_memo_is_denied_and_stores_nothing(
    api: AttachmentApi, stores: Stores, blobs: MemoryBlobs, protocol: str, visibility: str
) -> None:
    # Given a memo of bob's (Memos would let alice add files to it, shown under bob's name)
    alice = add_user(stores, "alice")
    bob = add_user(stores, "bob")
    add_memo(stores, bob.id, "memo1", visibility)
    attachment = {"filename": "a.txt", "content": "YQ==", "memo": "memos/memo1"}

    # When alice uploads a file naming it
    if protocol == "connect":
        status, _code, message = api.error(
            "CreateAttachment", {"attachment": attachment}, token_of(alice)
        )
    else:
        response = api.rest("POST", "/api/v1/attachments", attachment, token_of(alice))
        status, message = response.status, response.json()["message"]

    # Then she is refused, and neither bytes nor a link are left
    assert (status, message) == (403, "permission denied")
    assert blobs.objects == {}
    assert stores.memo_extras.get("memo1").attachment_uids() == []


def test_an_admin_may_attach_to_anyones_memo(api: AttachmentApi, stores: Stores) -> None:
    # Given a memo of bob's and an ADMIN (who may change any memo)
    bob = add_user(stores, "bob")
    root = add_user(stores, "root", role=Role.ADMIN)
    add_memo(stores, bob.id, "memo1", "PUBLIC")

    # When the ADMIN uploads a file naming it
    created = api.create(token_of(root), "a.txt", b"a", memo="memos/memo1")

    # Then it is linked
    assert created["memo"] == "memos/memo1"


def test_create_naming_a_missing_memo_is_not_found_and_stores_nothing(
    api: AttachmentApi, stores: Stores, blobs: MemoryBlobs
) -> None:
    token = token_of(add_user(stores, "alice"))
    body = {"attachment": {"filename": "a.txt", "memo": "memos/ghost"}}

    status, code, message = api.error("CreateAttachment", body, token)

    assert (status, code, message) == (404, "not_found", "memo not found: memos/ghost")
    assert blobs.objects == {}


def test_create_with_a_chosen_id_uses_it_once(
    api: AttachmentApi, stores: Stores, blobs: MemoryBlobs
) -> None:
    # Given an attachment created under a chosen id
    token = token_of(add_user(stores, "alice"))
    created = api.create(token, "first.txt", b"first", attachment_id="my-file")
    assert created["name"] == "attachments/my-file"

    # When the same id is asked for again
    body = {
        "attachment": {"filename": "second.txt", "content": base64.b64encode(b"2").decode()},
        "attachmentId": "my-file",
    }
    status, code, message = api.error("CreateAttachment", body, token)

    # Then it is ALREADY_EXISTS and the first file's bytes are untouched
    assert (status, code) == (409, "already_exists")
    assert "my-file" in message
    assert blobs.objects[attachment_object_key("my-file")][0] == b"first"


def test_a_failed_record_write_removes_the_uploaded_object(
    api: AttachmentApi, stores: Stores, blobs: MemoryBlobs, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a table that refuses the record after the bytes went to S3
    token = token_of(add_user(stores, "alice"))

    def refuse(*args: object, **kwargs: object) -> None:
        raise RuntimeError("table unavailable")

    monkeypatch.setattr(stores.attachments, "create", refuse)

    # When a file is uploaded
    response = api.connect(
        "CreateAttachment", {"attachment": {"filename": "a.txt", "content": "aGk="}}, token
    )

    # Then the call fails and no object is left without its record
    assert response.status == 500
    assert blobs.objects == {}
    assert len(blobs.deleted) == 1


def test_a_failed_upload_writes_no_record(
    api: AttachmentApi, stores: Stores, blobs: MemoryBlobs
) -> None:
    # Given S3 refusing the bytes
    user = add_user(stores, "alice")
    blobs.fail_puts = True

    # When a file is uploaded
    response = api.connect(
        "CreateAttachment",
        {"attachment": {"filename": "a.txt", "content": "aGk="}},
        token_of(user),
    )

    # Then the call fails and no record names missing bytes
    assert response.status == 500
    assert stores.attachments.page_by_creator(user.id, after=None, limit=10)[0] == []


def _jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (40, 20), (10, 200, 10))
    tags = Image.Exif()
    tags[0x010F] = "Camera maker"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=tags.tobytes())
    return out.getvalue()


def test_create_strips_exif_and_reports_the_stored_size(
    api: AttachmentApi, stores: Stores, blobs: MemoryBlobs
) -> None:
    # Given a JPEG carrying EXIF
    token = token_of(add_user(stores, "alice"))
    original = _jpeg_with_exif()

    # When it is uploaded
    created = api.create(token, "photo.jpg", original)

    # Then the stored bytes carry no EXIF, and the size is theirs
    stored, mime_type = blobs.objects[attachment_object_key(_uid(created["name"]))]
    assert b"Camera maker" not in stored
    assert mime_type == "image/jpeg"
    assert created["size"] == str(len(stored))


def test_rest_create_takes_the_id_from_the_query(api: AttachmentApi, stores: Stores) -> None:
    # Given a signed-in REST client
    token = token_of(add_user(stores, "alice"))

    # When it posts an attachment with ?attachmentId=
    body = {"filename": "a.txt", "content": base64.b64encode(b"hi").decode()}
    response = api.rest("POST", "/api/v1/attachments", body, token, query="attachmentId=chosen-1")

    # Then the attachment has that id, and its size reads as a string as in Memos' JSON
    assert response.status == 200, response.body
    assert response.json()["name"] == "attachments/chosen-1"
    assert response.json()["size"] == "2"
