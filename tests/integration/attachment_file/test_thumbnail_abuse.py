"""``?thumbnail=true`` can't be made to read or decode the same hostile bytes again and again:
an image that makes no thumbnail is marked so once, and an original too large to read into the
function's memory (a direct upload may be a gigabyte) gets none."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import pytest
from PIL import Image

from functions.attachment import thumbnails
from functions.attachment.records import touch_attachment
from memos.store.blobs import thumbnail_object_key
from tests.integration.attachment_file.conftest import fetch, public_upload

if TYPE_CHECKING:
    from memos.rpc.asgi import ASGIApp
    from memos.store import Stores

THUMBNAIL = "thumbnail=true"
BROKEN_PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 2000


def test_bytes_that_make_no_thumbnail_are_tried_once(
    route: ASGIApp, stores: Stores, thumbnails_made: list[str]
) -> None:
    # Given a public "PNG" that does not decode
    attachment = public_upload(stores, "broken.png", "image/png", BROKEN_PNG)

    # When its thumbnail is asked for three times
    answers = [fetch(route, attachment, query=THUMBNAIL) for _ in range(3)]

    # Then each answer is the original, and Pillow ran only for the first
    assert [answer.status for answer in answers] == [200, 200, 200]
    assert all(answer.body == BROKEN_PNG for answer in answers)
    assert thumbnails_made == ["PNG"]
    mark = stores.blobs.get(thumbnail_object_key(attachment.uid))
    assert mark is not None and mark.data == b""


def test_a_rename_to_another_format_tries_again(
    route: ASGIApp, stores: Stores, thumbnails_made: list[str]
) -> None:
    # Given a broken PNG whose thumbnail was tried once
    attachment = public_upload(stores, "broken.png", "image/png", BROKEN_PNG)
    fetch(route, attachment, query=THUMBNAIL)

    # When it is renamed to ask for a JPEG thumbnail and asked again
    touch_attachment(stores, attachment.uid, filename="broken.jpg")
    renamed = stores.attachments.get(attachment.uid)
    assert renamed is not None
    fetch(route, renamed, query=THUMBNAIL)

    # Then Pillow was asked again, for the new format
    assert thumbnails_made == ["PNG", "JPEG"]


def test_an_original_over_the_source_limit_gets_no_thumbnail(
    route: ASGIApp, stores: Stores, thumbnails_made: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a public JPEG one byte over the largest original a thumbnail is made from
    out = io.BytesIO()
    Image.new("RGB", (900, 600), (1, 2, 3)).save(out, format="JPEG")
    photo = out.getvalue()
    monkeypatch.setattr(thumbnails, "THUMBNAIL_SOURCE_MAX_BYTES", len(photo) - 1)
    attachment = public_upload(stores, "photo.jpg", "image/jpeg", photo)

    # When its thumbnail is asked for
    response = fetch(route, attachment, query=THUMBNAIL)

    # Then the original is served without Pillow
    assert response.status == 200
    assert response.body == photo
    assert thumbnails_made == []
