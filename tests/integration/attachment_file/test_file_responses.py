"""What the file route answers for each kind of file: headers, 304s, redirects to S3, HEAD."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pytest
from botocore.exceptions import ClientError

from functions.attachment.file_route import PRESIGNED_URL_SECONDS
from memos.domain.attachment_files import INLINE_UPLOAD_LIMIT_BYTES
from memos.errors import DEPENDENCY_UNAVAILABLE_MESSAGE
from tests.asgi import call
from tests.integration.attachment_file.conftest import (
    access_token,
    add_memo,
    add_user,
    bearer,
    fetch,
    public_upload,
    upload,
)

if TYPE_CHECKING:
    from memos.rpc.asgi import ASGIApp
    from memos.store import Stores
    from tests.asgi import Response

SECURITY = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline';",
}


def presigned_query(response: Response, key: str) -> dict[str, str]:
    """The query of the 307's Location after checking it reads ``key`` from the bucket."""
    location = response.header("location")
    assert location is not None
    url = urlsplit(location)
    assert url.path.endswith(f"/{key}")
    return {name: values[0] for name, values in parse_qs(url.query).items()}


@pytest.mark.parametrize(
    ("filename", "stored", "content_type", "disposition"),
    [
        ("photo.png", "image/png", "image/png", None),
        (
            "notes.txt",
            "text/plain",
            "text/plain; charset=utf-8",
            'attachment; filename="notes.txt"',
        ),
        ("page.html", "text/html", "application/octet-stream", 'attachment; filename="page.html"'),
        (
            "logo.svg",
            "image/svg+xml",
            "application/octet-stream",
            'attachment; filename="logo.svg"',
        ),
        ("paper.pdf", "application/pdf", "application/pdf", None),
        ('a "b".zip', "application/zip", "application/zip", 'attachment; filename="a \\"b\\".zip"'),
    ],
)
def test_served_files_carry_memos_headers(
    route: ASGIApp,
    stores: Stores,
    filename: str,
    stored: str,
    content_type: str,
    disposition: str | None,
) -> None:
    # Given a public attachment of the stored type
    attachment = public_upload(stores, filename, stored, b"payload")

    # When it is fetched
    response = fetch(route, attachment, filename="anything-goes")

    # Then the bytes come with the type made safe, the security headers and the validators
    assert response.status == 200
    assert response.body == b"payload"
    assert response.header("content-type") == content_type
    assert response.header("content-disposition") == disposition
    assert response.header("cache-control") == "public, max-age=3600"
    assert {name: response.header(name) for name in SECURITY} == SECURITY
    assert response.header("content-length") == "7"
    assert response.header("etag")
    assert response.header("last-modified")


def test_a_repeated_request_with_the_etag_gets_304(route: ASGIApp, stores: Stores) -> None:
    # Given a fetched attachment
    attachment = public_upload(stores, "notes.txt", "text/plain", b"hello")
    first = fetch(route, attachment)
    etag = first.header("etag")
    assert etag is not None

    # When the browser revalidates with its ETag, and with another one
    same = fetch(route, attachment, headers={"if-none-match": etag})
    changed = fetch(route, attachment, headers={"if-none-match": '"stale"'})

    # Then the matching one is 304 without a body, the other gets the bytes
    assert same.status == 304
    assert same.body == b""
    assert same.header("etag") == etag
    assert changed.status == 200
    assert changed.body == b"hello"


def test_if_modified_since_the_update_time_gets_304(route: ASGIApp, stores: Stores) -> None:
    # Given a fetched attachment
    attachment = public_upload(stores, "notes.txt", "text/plain", b"hello")
    last_modified = fetch(route, attachment).header("last-modified")
    assert last_modified is not None

    # When the browser asks whether it changed since then
    response = fetch(route, attachment, headers={"if-modified-since": last_modified})

    # Then it did not
    assert response.status == 304


@pytest.mark.parametrize("visibility", ["PRIVATE", "PROTECTED"])
def test_files_that_need_a_signed_in_reader_are_never_kept_by_shared_caches(
    route: ASGIApp, stores: Stores, visibility: str
) -> None:
    # Given an attachment of a memo not open to anyone, fetched by its writer
    writer = add_user(stores, "writer")
    memo = add_memo(stores, writer, "memo-1", visibility)
    attachment = upload(stores, writer, "photo.png", "image/png", b"png", memo=memo)
    token = bearer(access_token(writer))

    # When it is fetched, then revalidated
    first = fetch(route, attachment, headers=token)
    etag = first.header("etag")
    assert etag is not None
    again = fetch(route, attachment, headers={**token, "if-none-match": etag})

    # Then no shared cache may keep it and a browser must ask again each time (after which the
    # access check runs), so a signed-out browser can't show it from its cache
    assert first.status == 200
    assert first.header("cache-control") == "private, no-cache"
    assert again.status == 304
    assert again.header("cache-control") == "private, no-cache"


def test_an_unlinked_file_is_private_to_its_uploader_caches_too(
    route: ASGIApp, stores: Stores
) -> None:
    # Given an unlinked attachment fetched by its uploader
    uploader = add_user(stores, "uploader")
    attachment = upload(stores, uploader)

    # When it is fetched
    response = fetch(route, attachment, headers=bearer(access_token(uploader)))

    # Then it is not for shared caches either
    assert response.status == 200
    assert response.header("cache-control") == "private, no-cache"


def test_a_304_still_needs_access(route: ASGIApp, stores: Stores) -> None:
    # Given an unlinked attachment and a validator that matches anything
    attachment = upload(stores, add_user(stores, "uploader"))

    # When an anonymous request revalidates
    response = fetch(route, attachment, headers={"if-none-match": "*"})

    # Then the access check answers first
    assert response.status == 401


@pytest.mark.parametrize(
    ("filename", "stored", "color_gamut"),
    [("clip.mp4", "video/mp4", True), ("song.mp3", "audio/mpeg", False)],
)
def test_media_redirects_to_a_short_lived_presigned_url(
    route: ASGIApp, stores: Stores, filename: str, stored: str, color_gamut: bool
) -> None:
    # Given a public audio or video attachment
    attachment = public_upload(stores, filename, stored, b"\x00media")

    # When it is fetched
    response = fetch(route, attachment)

    # Then the answer is a redirect to its object, valid five minutes, carrying its type
    assert response.status == 307
    assert response.body == b""
    query = presigned_query(response, attachment.storage_key)
    assert query["X-Amz-Expires"] == str(PRESIGNED_URL_SECONDS)
    assert query["response-content-type"] == stored
    assert "response-content-disposition" not in query
    assert {name: response.header(name) for name in SECURITY} == SECURITY
    assert response.header("content-type") == stored
    assert (response.header("color-gamut") is not None) is color_gamut
    assert response.header("content-disposition") is None
    assert response.header("cache-control") == "private, max-age=60"


def test_a_file_over_the_inline_limit_redirects_with_its_download_headers(
    route: ASGIApp, stores: Stores
) -> None:
    # Given a public zip one byte over what the function sends itself
    data = b"z" * (INLINE_UPLOAD_LIMIT_BYTES + 1)
    attachment = public_upload(stores, "big.zip", "application/zip", data)

    # When it is fetched
    response = fetch(route, attachment)

    # Then S3 is asked to serve it, as a download of the right type
    assert response.status == 307
    query = presigned_query(response, attachment.storage_key)
    assert query["response-content-type"] == "application/zip"
    assert query["response-content-disposition"] == 'attachment; filename="big.zip"'


def test_a_file_at_the_inline_limit_is_served_by_the_function(
    route: ASGIApp, stores: Stores
) -> None:
    # Given a public file of exactly the inline limit
    data = b"z" * INLINE_UPLOAD_LIMIT_BYTES
    attachment = public_upload(stores, "big.bin", "application/octet-stream", data)

    # When it is fetched
    response = fetch(route, attachment)

    # Then the bytes come back whole
    assert response.status == 200
    assert len(response.body) == INLINE_UPLOAD_LIMIT_BYTES


def test_head_gives_the_headers_and_length_without_the_body(route: ASGIApp, stores: Stores) -> None:
    # Given a public attachment
    attachment = public_upload(stores, "notes.txt", "text/plain", b"hello")

    # When it is asked for with HEAD
    response = fetch(route, attachment, method="HEAD")

    # Then the headers are GET's, the body is empty
    assert response.status == 200
    assert response.body == b""
    assert response.header("content-length") == "5"
    assert response.header("content-type") == "text/plain; charset=utf-8"


def test_a_range_request_gets_the_whole_file(route: ASGIApp, stores: Stores) -> None:
    # Given a public file
    attachment = public_upload(stores, "notes.txt", "text/plain", b"0123456789")

    # When a range of it is asked for
    response = fetch(route, attachment, headers={"range": "bytes=2-4"})

    # Then Range is ignored, as Memos ignores it for files it serves itself
    assert response.status == 200
    assert response.body == b"0123456789"


def test_other_methods_are_not_allowed(route: ASGIApp, stores: Stores) -> None:
    # Given a public attachment
    attachment = public_upload(stores, "notes.txt", "text/plain", b"hello")

    # When something is POSTed to its file path
    response = fetch(route, attachment, method="POST")

    # Then only GET and HEAD are allowed
    assert response.status == 405
    assert response.header("allow") == "GET, HEAD"


def test_a_path_without_a_filename_segment_is_attachment_not_found(
    route: ASGIApp, stores: Stores
) -> None:
    # Given a public attachment
    attachment = public_upload(stores, "notes.txt", "text/plain", b"hello")

    # When its uid is asked for without the filename segment
    response = call(route, "GET", f"/file/attachments/{attachment.uid}")

    # Then nothing matches
    assert response.status == 404
    assert response.json() == {"message": "attachment not found"}


def test_a_record_whose_object_is_missing_is_a_server_error(route: ASGIApp, stores: Stores) -> None:
    # Given a public attachment whose object was removed behind the record's back
    attachment = public_upload(stores, "notes.txt", "text/plain", b"hello")
    stores.blobs.delete(attachment.storage_key)

    # When it is fetched
    response = fetch(route, attachment)

    # Then the answer is a plain 500, without details
    assert response.status == 500
    assert response.json() == {"message": "failed to get attachment blob"}


def test_a_throttled_bucket_is_503_with_retry_after(
    route: ASGIApp, stores: Stores, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a public attachment, and S3 answering SlowDown
    attachment = public_upload(stores, "notes.txt", "text/plain", b"hello")

    def slow_down(**_: object) -> None:
        raise ClientError({"Error": {"Code": "SlowDown"}}, "GetObject")

    monkeypatch.setattr(stores.blobs.client, "get_object", slow_down)

    # When it is fetched
    response = fetch(route, attachment)

    # Then the client is told to come back shortly, with no details
    assert response.status == 503
    assert response.header("retry-after") == "1"
    assert response.json() == {"message": DEPENDENCY_UNAVAILABLE_MESSAGE}


def test_text_too_big_once_escaped_for_lambda_goes_through_s3(
    route: ASGIApp, stores: Stores
) -> None:
    # Given two public 3 MiB text files: plain ASCII, and CJK (six bytes a character in JSON)
    ascii_text = public_upload(stores, "a.txt", "text/plain", b"a" * (3 * 1024 * 1024))
    cjk = "字".encode() * (1024 * 1024)
    writer = add_user(stores, "writer2")
    memo = add_memo(stores, writer, "memo-2", "PUBLIC")
    cjk_text = upload(stores, writer, "cjk.txt", "text/plain", cjk, memo=memo)

    # When both are fetched
    plain = fetch(route, ascii_text)
    escaped = fetch(route, cjk_text)

    # Then the ASCII one is served, the CJK one redirected to S3
    assert plain.status == 200
    assert escaped.status == 307
