"""Making a thumbnail (functions.attachment.thumbnails): size, format, orientation, failures."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from functions.attachment.thumbnails import (
    gets_thumbnail,
    make_thumbnail,
    thumbnail_format,
    thumbnail_size,
)

EXIF_ORIENTATION = 0x0112
ROTATED_90_CLOCKWISE = 6


def image_bytes(width: int, height: int, image_format: str, *, orientation: int = 0) -> bytes:
    image = Image.new("RGB", (width, height), (200, 30, 30))
    out = io.BytesIO()
    if orientation:
        exif = Image.Exif()
        exif[EXIF_ORIENTATION] = orientation
        image.save(out, format=image_format, exif=exif)
    else:
        image.save(out, format=image_format)
    return out.getvalue()


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((1200, 800), (600, 400)),
        ((800, 1200), (400, 600)),
        ((600, 600), (600, 600)),
        ((601, 601), (600, 600)),
        ((300, 200), (300, 200)),
        ((1, 1), (1, 1)),
        ((10000, 10), (600, 1)),
        ((10, 10000), (1, 600)),
        ((1000, 333), (600, 200)),
        ((1000, 335), (600, 201)),
    ],
)
def test_the_longer_side_shrinks_to_600_and_nothing_grows(
    size: tuple[int, int], expected: tuple[int, int]
) -> None:
    # Given an image size / When its thumbnail size is computed / Then it fits 600 px
    assert thumbnail_size(*size) == expected


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("a.jpg", "JPEG"),
        ("a.JPEG", "JPEG"),
        ("a.png", "PNG"),
        ("a.gif", "GIF"),
        ("a.tif", "TIFF"),
        ("a.tiff", "TIFF"),
        ("a.bmp", "BMP"),
        ("a.webp", None),
        ("a.heic", None),
        ("a.heif", None),
        ("noextension", None),
        ("archive.png.zip", None),
    ],
)
def test_the_output_format_is_the_filename_extension(filename: str, expected: str | None) -> None:
    # Given a filename / When the thumbnail format is chosen / Then its extension decides
    found = thumbnail_format(filename)
    assert (found[0] if found else None) == expected


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ("image/png", True),
        ("image/jpeg", True),
        ("image/heic", True),
        ("image/heif", True),
        ("image/webp", True),
        ("image/gif", False),
        ("image/jpg", False),
        ("image/svg+xml", False),
        ("application/pdf", False),
    ],
)
def test_only_memos_thumbnail_types_get_one(stored: str, expected: bool) -> None:
    assert gets_thumbnail(stored, 1) is expected


def test_a_big_jpeg_becomes_a_600px_jpeg() -> None:
    # Given a 1200x800 JPEG
    original = image_bytes(1200, 800, "JPEG")

    # When its JPEG thumbnail is made
    made = make_thumbnail(original, "JPEG")

    # Then it is a 600x400 JPEG
    assert made is not None
    image = opened(made)
    assert image.format == "JPEG"
    assert image.size == (600, 400)


def test_a_small_image_keeps_its_size() -> None:
    # Given a 300x200 PNG
    original = image_bytes(300, 200, "PNG")

    # When its PNG thumbnail is made
    made = make_thumbnail(original, "PNG")

    # Then it is re-encoded at its own size, never enlarged
    assert made is not None
    assert opened(made).size == (300, 200)


def test_the_exif_orientation_is_applied() -> None:
    # Given a 1200x800 JPEG whose EXIF says "rotate 90 degrees clockwise to display"
    original = image_bytes(1200, 800, "JPEG", orientation=ROTATED_90_CLOCKWISE)

    # When its thumbnail is made
    made = make_thumbnail(original, "JPEG")

    # Then it stands upright: portrait, 400x600
    assert made is not None
    assert opened(made).size == (400, 600)


def test_transparency_survives_a_png_thumbnail_and_is_dropped_for_jpeg() -> None:
    # Given a translucent 800x800 PNG
    image = Image.new("RGBA", (800, 800), (0, 0, 255, 128))
    out = io.BytesIO()
    image.save(out, format="PNG")

    # When PNG and JPEG thumbnails are made
    as_png = make_thumbnail(out.getvalue(), "PNG")
    as_jpeg = make_thumbnail(out.getvalue(), "JPEG")

    # Then the PNG keeps its alpha, the JPEG is plain RGB
    assert as_png is not None
    assert as_jpeg is not None
    assert opened(as_png).mode == "RGBA"
    assert opened(as_jpeg).mode == "RGB"
    assert opened(as_jpeg).size == (600, 600)


@pytest.mark.parametrize("data", [b"", b"not an image at all", b"\x89PNG\r\n\x1a\nbroken"])
def test_bytes_that_do_not_decode_make_no_thumbnail(data: bytes) -> None:
    # Given bytes that are no image / When a thumbnail is asked for / Then there is none
    assert make_thumbnail(data, "PNG") is None
