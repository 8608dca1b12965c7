"""Decompression bombs: a small image whose header promises more pixels than we decode is kept
as sent (CreateAttachment, over Connect and REST) and gets no thumbnail, without any pixel of
it being decoded: a 35 KB PNG of 12,000 x 10,000 pixels cost 730 MB and 2 s to thumbnail."""

from __future__ import annotations

import base64
import struct
import zlib
from typing import TYPE_CHECKING

import pytest
from PIL import ImageFile

from functions.attachment.thumbnails import make_thumbnail
from memos.domain.attachment_files import MAX_DECODED_PIXELS
from memos.store.blobs import attachment_object_key
from tests.integration.attachment.conftest import add_user, token_of

if TYPE_CHECKING:
    from memos.store import Stores
    from tests.integration.attachment.conftest import AttachmentApi, MemoryBlobs

WIDTH, HEIGHT = 12_000, 10_000


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png_bomb() -> bytes:
    """A valid one-bit grey PNG of WIDTH x HEIGHT, all black: tens of KB on the wire."""
    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 1, 0, 0, 0, 0)
    rows = (b"\x00" + bytes(WIDTH // 8)) * HEIGHT
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows, 9))
        + _chunk(b"IEND", b"")
    )


@pytest.fixture
def decoded(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """The sizes of the images whose pixels were decoded."""
    sizes: list[tuple[int, int]] = []
    load = ImageFile.ImageFile.load

    def recording_load(image: ImageFile.ImageFile) -> object:
        sizes.append(image.size)
        return load(image)

    monkeypatch.setattr(ImageFile.ImageFile, "load", recording_load)
    return sizes


def test_the_bomb_is_over_the_limit_yet_under_pillows_own() -> None:
    # Given / When / Then the test image is in the range Pillow only warns about
    assert MAX_DECODED_PIXELS < WIDTH * HEIGHT < 2 * 89_478_485
    assert len(_png_bomb()) < 64 * 1024


@pytest.mark.parametrize("protocol", ["connect", "rest"])
def test_a_bomb_labelled_as_a_photo_is_stored_as_sent_without_decoding(
    api: AttachmentApi,
    stores: Stores,
    blobs: MemoryBlobs,
    decoded: list[tuple[int, int]],
    protocol: str,
) -> None:
    # Given a signed-in user and a PNG bomb sent as a JPEG (whose EXIF would be stripped)
    token = token_of(add_user(stores, "alice"))
    bomb = _png_bomb()

    # When they upload it
    if protocol == "connect":
        created = api.create(token, "photo.jpg", bomb, type="image/jpeg")
    else:
        content = base64.b64encode(bomb).decode()
        body = {"filename": "photo.jpg", "type": "image/jpeg", "content": content}
        response = api.rest("POST", "/api/v1/attachments", body, token)
        assert response.status == 200, response.body
        created = response.json()

    # Then it is kept byte for byte, and no pixel of it was decoded
    uid = created["name"].removeprefix("attachments/")
    assert blobs.objects[attachment_object_key(uid)] == (bomb, "image/jpeg")
    assert decoded == []


def test_a_bomb_gets_no_thumbnail_and_is_not_decoded(decoded: list[tuple[int, int]]) -> None:
    # Given a PNG bomb
    bomb = _png_bomb()

    # When its thumbnail is asked for
    thumbnail = make_thumbnail(bomb, "PNG")

    # Then there is none (the original is served), and no pixel was decoded
    assert thumbnail is None
    assert decoded == []
