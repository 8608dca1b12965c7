"""A photo finalized from a direct upload loses its EXIF block (GPS position, camera) as an
inline upload does: before, the server-side copy kept it."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from PIL import Image

from memos.store.blobs import attachment_object_key
from tests.integration.attachment_upload.conftest import add_user, post_file

if TYPE_CHECKING:
    from memos.store import Stores
    from tests.integration.attachment_upload.conftest import UploadsApi

GPS_IFD = 0x8825
MAKE = 0x010F


def _photo_with_position() -> bytes:
    exif = Image.Exif()
    exif[MAKE] = "PhoneCam"
    exif[GPS_IFD] = {1: "N", 2: (48.0, 51.0, 29.0), 3: "E", 4: (2.0, 17.0, 40.0)}
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (10, 120, 200)).save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_a_finalized_photo_is_stored_without_its_exif(uploads: UploadsApi, stores: Stores) -> None:
    # Given a JPEG carrying a GPS position, uploaded directly
    photo = _photo_with_position()
    assert Image.open(io.BytesIO(photo)).getexif().get(MAKE) == "PhoneCam"
    alice = add_user(stores, "alice")
    started = uploads.started(alice, "holiday.jpg", "image/jpeg", len(photo))
    post_file(started, photo)

    # When it is finalized
    response = uploads.finalize(alice, started["uploadId"])

    # Then the stored image has no EXIF, and the record's size is the stored bytes'
    assert response.status == 200, response.body
    blob = stores.blobs.get(attachment_object_key(started["uploadId"]))
    assert blob is not None
    with Image.open(io.BytesIO(blob.data)) as stored:
        assert stored.format == "JPEG"
        assert dict(stored.getexif()) == {}
    assert response.json()["size"] == str(len(blob.data))
    assert blob.info.content_type == "image/jpeg"
