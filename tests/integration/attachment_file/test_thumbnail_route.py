"""``?thumbnail=true``: made once, kept in S3, format by extension, the original as fallback."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import pytest
from botocore.exceptions import ClientError
from PIL import Image

from memos.domain.attachment_files import INLINE_UPLOAD_LIMIT_BYTES
from memos.store.blobs import thumbnail_object_key
from tests.integration.attachment_file.conftest import fetch, public_upload

if TYPE_CHECKING:
    from memos.rpc.asgi import ASGIApp
    from memos.store import Stores

THUMBNAIL = "thumbnail=true"


def image_bytes(width: int, height: int, image_format: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (10, 120, 200)).save(out, format=image_format)
    return out.getvalue()


def picture(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_a_thumbnail_is_made_once_and_then_read_from_the_bucket(
    route: ASGIApp, stores: Stores, thumbnails_made: list[str]
) -> None:
    # Given a public 1200x800 JPEG
    attachment = public_upload(stores, "photo.jpg", "image/jpeg", image_bytes(1200, 800, "JPEG"))

    # When its thumbnail is fetched twice
    first = fetch(route, attachment, query=THUMBNAIL)
    second = fetch(route, attachment, query=THUMBNAIL)

    # Then Pillow ran once, the thumbnail is kept under its key, and both answers are it
    assert thumbnails_made == ["JPEG"]
    kept = stores.blobs.get(thumbnail_object_key(attachment.uid))
    assert kept is not None
    assert first.status == second.status == 200
    assert first.body == second.body == kept.data
    assert picture(first.body).size == (600, 400)
    assert first.header("content-type") == "image/jpeg"


def test_the_thumbnail_has_its_own_entity_tag(route: ASGIApp, stores: Stores) -> None:
    # Given a public JPEG
    attachment = public_upload(stores, "photo.jpg", "image/jpeg", image_bytes(900, 900, "JPEG"))

    # When the original and the thumbnail are fetched
    original = fetch(route, attachment)
    thumbnail = fetch(route, attachment, query=THUMBNAIL)

    # Then a cached original can't stand in for the thumbnail
    assert original.header("etag") != thumbnail.header("etag")


def test_a_small_image_is_not_enlarged(route: ASGIApp, stores: Stores) -> None:
    # Given a public 120x80 PNG
    attachment = public_upload(stores, "small.png", "image/png", image_bytes(120, 80, "PNG"))

    # When its thumbnail is fetched
    response = fetch(route, attachment, query=THUMBNAIL)

    # Then it keeps its size
    assert response.status == 200
    assert picture(response.body).size == (120, 80)


def test_the_format_follows_the_filename_and_the_type_stays_the_stored_one(
    route: ASGIApp, stores: Stores
) -> None:
    # Given PNG bytes stored as image/png under a .jpg name
    attachment = public_upload(stores, "shot.jpg", "image/png", image_bytes(800, 800, "PNG"))

    # When its thumbnail is fetched
    response = fetch(route, attachment, query=THUMBNAIL)

    # Then it is a JPEG, still labelled with the stored type (as Memos does)
    assert picture(response.body).format == "JPEG"
    assert response.header("content-type") == "image/png"


def test_a_kept_thumbnail_of_another_format_is_made_again(
    route: ASGIApp, stores: Stores, thumbnails_made: list[str]
) -> None:
    # Given a JPEG whose kept thumbnail is a PNG (it was named .png when that was made)
    attachment = public_upload(stores, "photo.jpg", "image/jpeg", image_bytes(800, 800, "JPEG"))
    stores.blobs.put(thumbnail_object_key(attachment.uid), b"old png thumbnail", "image/png")

    # When its thumbnail is fetched under the .jpg name
    response = fetch(route, attachment, query=THUMBNAIL)

    # Then a JPEG thumbnail is made and kept in its place
    assert thumbnails_made == ["JPEG"]
    assert picture(response.body).format == "JPEG"
    kept = stores.blobs.get(thumbnail_object_key(attachment.uid))
    assert kept is not None
    assert kept.info.content_type == "image/jpeg"


@pytest.mark.parametrize(
    ("filename", "stored", "data"),
    [
        ("photo.webp", "image/webp", image_bytes(800, 800, "WEBP")),  # no WebP output
        ("photo", "image/jpeg", image_bytes(800, 800, "JPEG")),  # no extension
        ("anim.gif", "image/gif", image_bytes(800, 800, "GIF")),  # GIF gets no thumbnail
        ("broken.png", "image/png", b"\x89PNG\r\n\x1a\nnot really"),  # doesn't decode
        ("notes.txt", "text/plain", b"plain text"),
    ],
)
def test_the_original_is_served_when_there_can_be_no_thumbnail(
    route: ASGIApp, stores: Stores, filename: str, stored: str, data: bytes
) -> None:
    # Given a public attachment that can have no thumbnail
    attachment = public_upload(stores, filename, stored, data)

    # When its thumbnail is asked for
    response = fetch(route, attachment, query=THUMBNAIL)

    # Then the original comes back, and no thumbnail is kept (bytes that were tried and don't
    # decode leave an empty mark, so they are not decoded again)
    assert response.status == 200
    assert response.body == data
    kept = stores.blobs.get(thumbnail_object_key(attachment.uid))
    assert kept is None or (kept.data == b"" and kept.info.metadata == {"no-thumbnail": "true"})


@pytest.mark.parametrize("query", ["thumbnail=1", "thumbnail=TRUE", "thumbnail=", "thumb=true"])
def test_only_thumbnail_equal_to_true_asks_for_one(
    route: ASGIApp, stores: Stores, thumbnails_made: list[str], query: str
) -> None:
    # Given a public JPEG
    data = image_bytes(800, 800, "JPEG")
    attachment = public_upload(stores, "photo.jpg", "image/jpeg", data)

    # When it is fetched with another query
    response = fetch(route, attachment, query=query)

    # Then the original is served
    assert response.body == data
    assert thumbnails_made == []


def test_an_image_over_the_inline_limit_still_gets_its_thumbnail_inline(
    route: ASGIApp, stores: Stores
) -> None:
    # Given a public PNG over the inline limit (trailing bytes after its end)
    data = image_bytes(1000, 500, "PNG") + b"\0" * INLINE_UPLOAD_LIMIT_BYTES
    attachment = public_upload(stores, "huge.png", "image/png", data)

    # When its thumbnail and the original are fetched
    thumbnail = fetch(route, attachment, query=THUMBNAIL)
    original = fetch(route, attachment)

    # Then the small thumbnail comes from the function, the original from S3
    assert thumbnail.status == 200
    assert picture(thumbnail.body).size == (600, 300)
    assert original.status == 307


def test_an_undecodable_image_over_the_inline_limit_redirects_to_the_original(
    route: ASGIApp, stores: Stores
) -> None:
    # Given a public "PNG" over the inline limit that does not decode
    data = b"\x89PNG\r\n\x1a\n" + b"\0" * INLINE_UPLOAD_LIMIT_BYTES
    attachment = public_upload(stores, "huge.png", "image/png", data)

    # When its thumbnail is fetched
    response = fetch(route, attachment, query=THUMBNAIL)

    # Then S3 serves the original
    assert response.status == 307
    location = response.header("location")
    assert location is not None
    assert attachment.storage_key in location


def test_a_thumbnail_that_cannot_be_kept_is_still_served(
    route: ASGIApp, stores: Stores, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a public JPEG, and a bucket refusing writes
    attachment = public_upload(stores, "photo.jpg", "image/jpeg", image_bytes(900, 600, "JPEG"))

    def slow_down(**_: object) -> None:
        raise ClientError({"Error": {"Code": "SlowDown"}}, "PutObject")

    monkeypatch.setattr(stores.blobs.client, "put_object", slow_down)

    # When its thumbnail is fetched
    response = fetch(route, attachment, query=THUMBNAIL)

    # Then the thumbnail made for this request is served
    assert response.status == 200
    assert picture(response.body).size == (600, 400)
