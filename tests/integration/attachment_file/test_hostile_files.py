"""The file route against what an attacker would store or ask for: types a browser could run,
filenames that try to break out of their header, and paths that try to name something else."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.asgi import call
from tests.integration.attachment_file.conftest import add_memo, add_user, fetch, upload
from tests.integration.attachment_file.test_file_responses import presigned_query

if TYPE_CHECKING:
    from memos.rpc.asgi import ASGIApp
    from memos.store import Stores
    from memos.store.attachments import Attachment

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>'


def _public(stores: Stores, filename: str, mime_type: str, data: bytes) -> Attachment:
    writer = add_user(stores, "writer")
    memo = add_memo(stores, writer, "memo-1", "PUBLIC")
    return upload(stores, writer, filename, mime_type, data, memo=memo)


@pytest.mark.parametrize("stored", ["image/x-evil+xml", "Image/SVG+XML", "application/rss+xml"])
def test_any_xml_type_is_sent_as_a_download_of_bytes(
    route: ASGIApp, stores: Stores, stored: str
) -> None:
    # Given a public attachment whose stored type a browser would render as an XML document
    attachment = _public(stores, "logo.svg", stored, SVG)

    # When it is fetched
    response = fetch(route, attachment)

    # Then it is neither rendered nor run: plain bytes, downloaded
    assert response.status == 200
    assert response.header("content-type") == "application/octet-stream"
    assert response.header("content-disposition") == 'attachment; filename="logo.svg"'


def test_a_media_type_with_an_xml_suffix_is_not_served_as_itself_by_s3(
    route: ASGIApp, stores: Stores
) -> None:
    # Given a "video" whose type is an XML one (media goes straight to S3, with no CSP there)
    attachment = _public(stores, "clip.svg", "video/x-evil+xml", SVG)

    # When it is fetched
    response = fetch(route, attachment)

    # Then S3 is told to label it as plain bytes
    assert response.status == 307
    query = presigned_query(response, attachment.storage_key)
    assert query["response-content-type"] == "application/octet-stream"


def test_a_filename_with_line_breaks_and_quotes_stays_inside_its_header(
    route: ASGIApp, stores: Stores
) -> None:
    # Given a public text file whose stored name tries to add a header of its own
    name = 'a"\r\nSet-Cookie: memos.access-token=x\r\n.txt'
    attachment = _public(stores, name, "text/plain", b"hi")

    # When it is fetched
    response = fetch(route, attachment)

    # Then the name is quoted with its breaks escaped, and no header was added
    assert response.status == 200
    assert response.header("content-disposition") == (
        'attachment; filename="a\\"\\r\\nSet-Cookie: memos.access-token=x\\r\\n.txt"'
    )
    assert response.header("set-cookie") is None


@pytest.mark.parametrize(
    "path",
    [
        "/file/attachments/../attachments/x/a.txt",
        "/file/attachments/..%2F..%2Fetc/passwd",
        "/file/attachments/%2e%2e/a.txt",
        "/file/attachments/uid%00/a.txt",
        "/file/attachments/uid\x00/a.txt",
        "/file/attachments/" + "a" * 5000 + "/a.txt",
        "/file/attachments/-leading-dash/a.txt",
    ],
)
def test_paths_that_are_no_uid_are_not_found_without_a_read(
    route: ASGIApp, stores: Stores, path: str
) -> None:
    # Given an attachment that exists
    _public(stores, "a.txt", "text/plain", b"hi")

    # When a path that can name no attachment is asked for
    response = call(route, "GET", path)

    # Then the answer is Memos' 404
    assert response.status == 404
    assert response.json() == {"message": "attachment not found"}
