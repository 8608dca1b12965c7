"""Direct-to-S3 uploads: start, upload to the presigned form, finalize, and every refusal."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest

from functions.attachment import uploads as uploads_module
from functions.attachment.object_copy import copy_object
from functions.attachment.records import record_new_attachment
from functions.memo.writing import MemoDraft, MemoWriter
from memos.store.blobs import attachment_object_key, upload_object_key
from tests.integration.attachment_upload.conftest import LIMIT, add_user, post_file, token_of

if TYPE_CHECKING:
    from memos.store import Stores
    from tests.integration.attachment_upload.conftest import UploadsApi

PDF = b"%PDF-1.7\n" + b"x" * 2000


def test_start_answers_a_presigned_form_pinned_to_the_callers_upload_key(
    uploads: UploadsApi, stores: Stores
) -> None:
    # Given a signed-in user
    alice = add_user(stores, "alice")

    # When they ask for an upload of a 2 KB PDF
    answer = uploads.started(alice, "report.pdf", "application/pdf", len(PDF))

    # Then they get a form upload to their own upload key, type and size pinned, soon expiring
    assert set(answer) == {"uploadId", "url", "fields", "method", "expiresAt"}
    assert answer["method"] == "POST"
    fields = answer["fields"]
    assert fields["key"] == upload_object_key(alice.id, answer["uploadId"])
    assert fields["Content-Type"] == "application/pdf"
    assert fields["x-amz-meta-filename"] == "report.pdf"
    assert fields["x-amz-meta-declared-size"] == str(len(PDF))
    assert {"policy", "x-amz-signature"} <= set(fields)
    conditions = json.loads(base64.b64decode(fields["policy"]))["conditions"]
    assert ["content-length-range", len(PDF), len(PDF)] in conditions
    assert {"Content-Type": "application/pdf"} in conditions
    assert {"x-amz-meta-filename": "report.pdf"} in conditions
    assert {"key": fields["key"]} in conditions
    expires = datetime.strptime(answer["expiresAt"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    minutes = (expires - datetime.now(UTC)).total_seconds() / 60
    assert 14 <= minutes <= 15


def test_an_uploaded_file_becomes_an_attachment_when_finalized(
    uploads: UploadsApi, stores: Stores
) -> None:
    # Given a started upload whose file was posted to the form
    alice = add_user(stores, "alice")
    started = uploads.started(alice, "report.pdf", "application/pdf", len(PDF))
    assert post_file(started, PDF).status_code in (200, 201, 204)

    # When it is finalized
    response = uploads.finalize(alice, started["uploadId"])

    # Then it is an attachment with GetAttachment's REST shape, the bytes under its own key,
    # and the upload object is gone
    assert response.status == 200, response.body
    uid = started["uploadId"]
    answer = response.json()
    assert answer["name"] == f"attachments/{uid}"
    assert answer["filename"] == "report.pdf"
    assert answer["type"] == "application/pdf"
    assert answer["size"] == str(len(PDF))
    assert answer["externalLink"] == ""
    stored = stores.attachments.get(uid)
    assert stored is not None
    assert stored.creator_id == alice.id
    assert stored.storage_key == attachment_object_key(uid)
    blob = stores.blobs.get(attachment_object_key(uid))
    assert blob is not None
    assert blob.data == PDF
    assert blob.info.content_type == "application/pdf"
    assert stores.blobs.head(upload_object_key(alice.id, uid)) is None


def test_finalize_can_link_the_attachment_to_a_memo(uploads: UploadsApi, stores: Stores) -> None:
    # Given an uploaded file and a memo
    alice = add_user(stores, "alice")
    draft = MemoDraft(content="hi", visibility="PRIVATE", created_ts=1, updated_ts=1)
    MemoWriter(stores).create(alice.id, "memo-one", draft)
    started = uploads.started(alice, "photo.png", "image/png", 4)
    post_file(started, b"\x89PNG")

    # When it is finalized naming the memo
    response = uploads.finalize(alice, started["uploadId"], {"memo": "memos/memo-one"})

    # Then the attachment is linked to it
    assert response.status == 200, response.body
    assert response.json()["memo"] == "memos/memo-one"
    stored = stores.attachments.get(started["uploadId"])
    assert stored is not None
    assert stored.memo_uid == "memo-one"


def test_finalize_naming_someone_elses_memo_is_denied_and_the_upload_stays(
    uploads: UploadsApi, stores: Stores
) -> None:
    # Given an uploaded file of alice's and a public memo of bob's
    alice, bob = add_user(stores, "alice"), add_user(stores, "bob")
    draft = MemoDraft(content="hi", visibility="PUBLIC", created_ts=1, updated_ts=1)
    MemoWriter(stores).create(bob.id, "bobs-memo", draft)
    started = uploads.started(alice, "notes.txt", "text/plain", 5)
    post_file(started, b"hello")

    # When alice finalizes it naming bob's memo
    response = uploads.finalize(alice, started["uploadId"], {"memo": "memos/bobs-memo"})

    # Then she is refused before any copy, and her upload is still there for another finalize
    assert response.status == 403
    assert response.json()["message"] == "permission denied"
    uid = started["uploadId"]
    assert stores.attachments.get(uid) is None
    assert stores.blobs.head(attachment_object_key(uid)) is None
    assert stores.blobs.head(upload_object_key(alice.id, uid)) is not None
    assert stores.memo_extras.get("bobs-memo").attachment_uids() == []


def test_finalize_naming_a_missing_memo_is_not_found_and_the_upload_stays_for_a_retry(
    uploads: UploadsApi, stores: Stores
) -> None:
    alice = add_user(stores, "alice")
    started = uploads.started(alice, "notes.txt", "text/plain", 5)
    post_file(started, b"hello")

    response = uploads.finalize(alice, started["uploadId"], {"memo": "memos/nope"})

    assert response.status == 404
    assert response.json()["message"] == "memo not found: memos/nope"
    uid = started["uploadId"]
    assert stores.attachments.get(uid) is None
    assert stores.blobs.head(attachment_object_key(uid)) is None
    assert stores.blobs.head(upload_object_key(alice.id, uid)) is not None


def test_a_repeated_finalize_answers_the_same_attachment(
    uploads: UploadsApi, stores: Stores
) -> None:
    # Given a finalized upload (say the client lost the answer)
    alice = add_user(stores, "alice")
    started = uploads.started(alice, "notes.txt", "text/plain", 5)
    post_file(started, b"hello")
    first = uploads.finalize(alice, started["uploadId"])

    # When the client finalizes again
    again = uploads.finalize(alice, started["uploadId"])

    # Then it gets the same attachment, not a second one
    assert again.status == 200, again.body
    assert again.json() == first.json()


def test_the_type_is_derived_from_the_filename_when_none_is_given(
    uploads: UploadsApi, stores: Stores
) -> None:
    alice = add_user(stores, "alice")

    with_extension = uploads.started(alice, "scan.pdf", "", 10)
    without = uploads.started(alice, "data.unknownext", "", 10)

    assert with_extension["fields"]["Content-Type"] == "application/pdf"
    assert without["fields"]["Content-Type"] == "application/octet-stream"


def test_a_unicode_filename_survives_the_trip_through_s3_metadata(
    uploads: UploadsApi, stores: Stores
) -> None:
    alice = add_user(stores, "alice")
    started = uploads.started(alice, "Überblick 日本.txt", "text/plain", 5)
    post_file(started, b"hello")

    response = uploads.finalize(alice, started["uploadId"])

    assert response.status == 200, response.body
    assert response.json()["filename"] == "Überblick 日本.txt"


# --- Refusals at start ------------------------------------------------------------------------


def test_start_refuses_anonymous_callers(uploads: UploadsApi) -> None:
    response = uploads.rest("POST", "/api/v1/attachment-uploads", {"filename": "a.txt", "size": 1})

    assert response.status == 401
    assert response.json() == {"code": 16, "message": "authentication required", "details": []}


def test_start_refuses_a_size_over_the_limit(uploads: UploadsApi, stores: Stores) -> None:
    alice = add_user(stores, "alice")

    response = uploads.start(alice, {"filename": "big.bin", "size": LIMIT + 1})

    assert response.status == 400
    assert response.json()["message"] == (
        f"file size exceeds the direct upload limit of {LIMIT} bytes"
    )


def test_start_accepts_exactly_the_limit_and_a_size_written_as_a_string(
    uploads: UploadsApi, stores: Stores
) -> None:
    alice = add_user(stores, "alice")

    response = uploads.start(alice, {"filename": "big.bin", "size": str(LIMIT)})

    assert response.status == 200, response.body


def test_start_refuses_bad_filenames_types_and_sizes(uploads: UploadsApi, stores: Stores) -> None:
    alice = add_user(stores, "alice")
    cases = {
        "missing filename": ({"size": 1}, "filename is required"),
        "path in filename": (
            {"filename": "../etc/passwd", "size": 1},
            "filename contains invalid characters or format",
        ),
        "type with parameters": (
            {"filename": "a.txt", "type": "text/plain; charset=utf-8", "size": 1},
            "invalid MIME type format",
        ),
        "missing size": ({"filename": "a.txt"}, "size is required"),
        "negative size": (
            {"filename": "a.txt", "size": -1},
            "size must be a non-negative integer (bytes)",
        ),
        "fractional size": (
            {"filename": "a.txt", "size": 1.5},
            "size must be a non-negative integer (bytes)",
        ),
        "unknown field": ({"filename": "a.txt", "size": 1, "memo": "x"}, "unknown field(s): memo"),
        "not an object": (["a.txt"], "the request body must be a JSON object"),
    }
    for case, (body, message) in cases.items():
        response = uploads.start(alice, body)

        assert response.status == 400, case
        assert response.json()["message"].startswith(message), (case, response.json())


# --- Refusals at finalize ---------------------------------------------------------------------


def test_finalize_before_anything_was_uploaded_is_not_found(
    uploads: UploadsApi, stores: Stores
) -> None:
    alice = add_user(stores, "alice")
    started = uploads.started(alice, "notes.txt", "text/plain", 5)

    response = uploads.finalize(alice, started["uploadId"])

    assert response.status == 404
    assert response.json()["message"] == (
        "upload not found: post the file to the upload URL before finalizing "
        "(uploads not finalized expire)"
    )


def test_finalize_of_someone_elses_upload_is_not_found_and_leaves_it_alone(
    uploads: UploadsApi, stores: Stores
) -> None:
    # Given Alice's uploaded file
    alice = add_user(stores, "alice")
    mallory = add_user(stores, "mallory")
    started = uploads.started(alice, "notes.txt", "text/plain", 5)
    post_file(started, b"hello")

    # When Mallory finalizes Alice's upload id
    response = uploads.finalize(mallory, started["uploadId"])

    # Then it is as if there were no such upload, and Alice can still finalize hers
    assert response.status == 404
    assert response.json()["message"].startswith("upload not found")
    assert uploads.finalize(alice, started["uploadId"]).status == 200


def test_finalize_of_someone_elses_finalized_upload_is_not_found(
    uploads: UploadsApi, stores: Stores
) -> None:
    alice = add_user(stores, "alice")
    mallory = add_user(stores, "mallory")
    started = uploads.started(alice, "notes.txt", "text/plain", 5)
    post_file(started, b"hello")
    assert uploads.finalize(alice, started["uploadId"]).status == 200

    response = uploads.finalize(mallory, started["uploadId"])

    assert response.status == 404


def test_finalize_refuses_a_file_larger_than_declared_and_deletes_it(
    uploads: UploadsApi, stores: Stores
) -> None:
    # Given an upload declared as 5 bytes that carried 6 (S3's policy would refuse the form;
    # the finalize checks again)
    alice = add_user(stores, "alice")
    started = uploads.started(alice, "notes.txt", "text/plain", 5)
    post_file(started, b"hello!")

    # When it is finalized
    response = uploads.finalize(alice, started["uploadId"])

    # Then it is refused, and the object is gone
    assert response.status == 400
    assert response.json()["message"] == "uploaded 6 bytes, but 5 were declared"
    assert stores.blobs.head(upload_object_key(alice.id, started["uploadId"])) is None
    assert stores.attachments.get(started["uploadId"]) is None


def test_finalize_refuses_an_object_over_the_limit_and_deletes_it(
    uploads: UploadsApi, stores: Stores
) -> None:
    alice = add_user(stores, "alice")
    started = uploads.started(alice, "big.bin", "application/octet-stream", LIMIT)
    post_file(started, b"\0" * (LIMIT + 1))

    response = uploads.finalize(alice, started["uploadId"])

    assert response.status == 400
    assert response.json()["message"] == (
        f"file size exceeds the direct upload limit of {LIMIT} bytes"
    )
    assert stores.blobs.head(upload_object_key(alice.id, started["uploadId"])) is None


def test_finalize_refuses_an_object_of_another_type_and_deletes_it(
    uploads: UploadsApi, stores: Stores
) -> None:
    alice = add_user(stores, "alice")
    started = uploads.started(alice, "notes.txt", "text/plain", 5)
    post_file(started, b"<b>x</b>"[:5], content_type="text/html")

    response = uploads.finalize(alice, started["uploadId"])

    assert response.status == 400
    assert response.json()["message"] == (
        "uploaded a file of type text/html, but text/plain was declared"
    )
    assert stores.blobs.head(upload_object_key(alice.id, started["uploadId"])) is None


def test_finalize_refuses_an_object_not_started_through_the_api(
    uploads: UploadsApi, stores: Stores
) -> None:
    # Given an object at an upload key that no start declared (no declared filename or size)
    alice = add_user(stores, "alice")
    upload_id = "A" * 22
    stores.blobs.put(upload_object_key(alice.id, upload_id), b"hello", "text/plain")

    response = uploads.finalize(alice, upload_id)

    assert response.status == 400
    assert response.json()["message"] == (
        "the upload was not started with POST /api/v1/attachment-uploads"
    )
    assert stores.blobs.head(upload_object_key(alice.id, upload_id)) is None


def test_finalize_of_a_malformed_upload_id_is_not_found(
    uploads: UploadsApi, stores: Stores
) -> None:
    alice = add_user(stores, "alice")

    response = uploads.finalize(alice, "not_an_id!")

    assert response.status == 404


def test_finalize_refuses_a_malformed_memo_name(uploads: UploadsApi, stores: Stores) -> None:
    alice = add_user(stores, "alice")
    started = uploads.started(alice, "notes.txt", "text/plain", 5)
    post_file(started, b"hello")

    response = uploads.finalize(alice, started["uploadId"], {"memo": "notes/1"})

    assert response.status == 400
    assert response.json()["message"].startswith("invalid memo name")


def test_finalize_refuses_anonymous_callers(uploads: UploadsApi) -> None:
    response = uploads.rest("POST", "/api/v1/attachment-uploads/" + "A" * 22 + "/finalize")

    assert response.status == 401


def test_a_finalized_upload_is_read_like_any_attachment(
    uploads: UploadsApi, stores: Stores
) -> None:
    # Given an upload finalized onto a public memo
    alice = add_user(stores, "alice")
    draft = MemoDraft(content="hi", visibility="PUBLIC", created_ts=1, updated_ts=1)
    MemoWriter(stores).create(alice.id, "public-memo", draft)
    started = uploads.started(alice, "report.pdf", "application/pdf", len(PDF))
    post_file(started, PDF)
    finalized = uploads.finalize(alice, started["uploadId"], {"memo": "memos/public-memo"})

    # When its owner reads it over REST, and anyone through the file route
    uid = started["uploadId"]
    got = uploads.rest("GET", f"/api/v1/attachments/{uid}", token=token_of(alice))
    file = uploads.rest("GET", f"/file/attachments/{uid}/report.pdf")

    # Then both answer what was uploaded
    assert got.status == 200, got.body
    assert got.json() == finalized.json()
    assert file.status == 200, file.body
    assert file.body == PDF


def test_a_finalize_racing_a_repeat_of_itself_keeps_the_attachment_the_other_recorded(
    uploads: UploadsApi, stores: Stores, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given an uploaded file, and a repeat of the finalize recording it while this one copies
    alice = add_user(stores, "alice")
    started = uploads.started(alice, "notes.txt", "text/plain", 5)
    post_file(started, b"hello")
    uid = started["uploadId"]

    def copy_while_the_repeat_records(*args: Any, **kwargs: Any) -> None:
        copy_object(*args, **kwargs)
        record_new_attachment(
            stores,
            creator_id=alice.id,
            filename="notes.txt",
            mime_type="text/plain",
            size=5,
            storage_key=attachment_object_key(uid),
            memo_uid=None,
            uid=uid,
        )

    monkeypatch.setattr(uploads_module, "copy_object", copy_while_the_repeat_records)

    # When this finalize goes on to record it
    response = uploads.finalize(alice, uid)

    # Then it answers that attachment, and its bytes are still there
    assert response.status == 200, response.body
    assert response.json()["name"] == f"attachments/{uid}"
    kept = stores.blobs.get(attachment_object_key(uid))
    assert kept is not None
    assert kept.data == b"hello"
