"""Filename, MIME type and EXIF rules of uploaded files (spec attachments.md §4, §9)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from memos.domain.attachment_files import (
    EXIF_IMAGE_TYPES,
    INLINE_UPLOAD_LIMIT_BYTES,
    reencode_image,
    resolve_mime_type,
    sniff_mime_type,
    strip_exif,
    validate_filename,
)
from memos.errors import InvalidArgumentError

PNG_MAGIC = bytes([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])


def _image(image_format: str, size: tuple[int, int] = (100, 100), *, exif: bool = False) -> bytes:
    image = Image.new("RGB", size, (200, 10, 10))
    out = io.BytesIO()
    if exif:
        tags = Image.Exif()
        tags[0x010F] = "Camera maker"  # Make
        tags[0x0112] = 6  # Orientation: rotate 90 degrees clockwise to display
        image.save(out, format=image_format, exif=tags.tobytes())
    else:
        image.save(out, format=image_format)
    return out.getvalue()


def test_inline_limit_is_four_mebibytes() -> None:
    assert INLINE_UPLOAD_LIMIT_BYTES == 4_194_304


@pytest.mark.parametrize(
    "name", ["photo.png", "résumé 2024.pdf", "a:b.txt", "x" * 500, "tab\there", "a..b"]
)
def test_plain_file_names_are_accepted(name: str) -> None:
    validate_filename(name)  # Then no error


@pytest.mark.parametrize(
    "name",
    ["", "a/b.txt", "a\\b.txt", "/etc/passwd", "..", ".", ".env", "a.", " a.txt", "a.txt "],
)
def test_paths_and_dotted_or_spaced_ends_are_refused(name: str) -> None:
    with pytest.raises(InvalidArgumentError, match="filename contains invalid characters"):
        validate_filename(name)


def test_extension_decides_before_content() -> None:
    # Given a .png name with text content / Then the extension wins (§9 TestCreateAttachment)
    assert resolve_mime_type("test.png", "", b"fake png content") == "image/png"


def test_unknown_extension_falls_back_to_sniffing() -> None:
    assert resolve_mime_type("test.unknown", "", PNG_MAGIC) == "image/png"


def test_binary_content_of_unknown_kind_is_octet_stream() -> None:
    assert resolve_mime_type("test.data", "", bytes([0, 1, 2, 3])) == "application/octet-stream"


def test_extension_lookup_ignores_case_and_drops_parameters() -> None:
    # Given an HTML file named in capitals: Memos' table says "text/html; charset=utf-8"
    assert resolve_mime_type("INDEX.HTML", "", b"") == "text/html"


def test_given_type_is_kept_verbatim() -> None:
    assert resolve_mime_type("a.png", "Image/X-Custom+zip", PNG_MAGIC) == "Image/X-Custom+zip"


@pytest.mark.parametrize(
    "given", ["text/plain; charset=utf-8", "text", "/plain", "text/", "a/" + "b" * 128]
)
def test_malformed_given_type_is_refused(given: str) -> None:
    with pytest.raises(InvalidArgumentError, match="invalid MIME type format"):
        resolve_mime_type("a.txt", given, b"")


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"", "text/plain"),
        (b"hello world", "text/plain"),
        (b"  <html><body>", "text/html"),
        (b"<?xml version='1.0'?>", "text/xml"),
        (b"%PDF-1.7\n", "application/pdf"),
        (b"GIF89a....", "image/gif"),
        (PNG_MAGIC, "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"RIFF\x10\x00\x00\x00WAVEfmt ", "audio/wave"),
        (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00isommp42", "video/mp4"),
        (b"\x1a\x45\xdf\xa3\x9f", "video/webm"),
        (b"ID3\x04\x00", "audio/mpeg"),
        (b"OggS\x00\x02", "application/ogg"),
        (b"PK\x03\x04\x14\x00", "application/zip"),
        (b"\x1f\x8b\x08\x00", "application/x-gzip"),
        (b"\x00\x01\x02\x03", "application/octet-stream"),
    ],
)
def test_sniffer_recognises_common_signatures(head: bytes, expected: str) -> None:
    assert sniff_mime_type(head) == expected


def test_sniffer_looks_only_at_the_first_512_bytes() -> None:
    # Given text whose first binary byte comes after 512 bytes
    assert sniff_mime_type(b"a" * 512 + b"\x00") == "text/plain"


def test_exif_capable_types_are_exactly_memos_list() -> None:
    assert {
        "image/jpeg",
        "image/jpg",
        "image/tiff",
        "image/webp",
        "image/heic",
        "image/heif",
    } == EXIF_IMAGE_TYPES


@pytest.mark.parametrize("mime_type", ["image/jpeg", "image/jpg"])
def test_stripping_a_jpeg_keeps_a_decodable_image_of_the_same_size(mime_type: str) -> None:
    # Given a 100x100 JPEG
    original = _image("JPEG")

    # When it is stripped
    stripped = strip_exif(original, mime_type)

    # Then the result decodes at 100x100
    with Image.open(io.BytesIO(stripped)) as decoded:
        assert decoded.size == (100, 100)


def test_stripping_removes_exif_and_applies_orientation() -> None:
    # Given a 100x50 JPEG with a camera make and "rotate 90" orientation
    original = _image("JPEG", (100, 50), exif=True)

    # When it is stripped
    stripped = strip_exif(original, "image/jpeg")

    # Then the EXIF block is gone and the pixels are turned upright
    with Image.open(io.BytesIO(stripped)) as decoded:
        assert not decoded.getexif()
        assert decoded.size == (50, 100)
    assert b"Camera maker" not in stripped


@pytest.mark.parametrize("mime_type", ["image/webp", "image/heic"])
def test_jpeg_bytes_under_other_exif_labels_become_jpeg(mime_type: str) -> None:
    stripped = strip_exif(_image("JPEG"), mime_type)
    with Image.open(io.BytesIO(stripped)) as decoded:
        assert decoded.format == "JPEG"


def test_reencoding_a_png_keeps_png() -> None:
    reencoded = reencode_image(_image("PNG"), "image/png")
    with Image.open(io.BytesIO(reencoded)) as decoded:
        assert (decoded.format, decoded.size) == ("PNG", (100, 100))


@pytest.mark.parametrize("mime_type", ["image/png", "image/gif", "text/plain", "application/pdf"])
def test_types_without_exif_are_stored_unchanged(mime_type: str) -> None:
    original = _image("PNG") if mime_type == "image/png" else b"some bytes"
    assert strip_exif(original, mime_type) is original


@pytest.mark.parametrize("data", [b"not an image at all", b""])
def test_reencoding_garbage_fails_to_decode(data: bytes) -> None:
    with pytest.raises(ValueError, match="failed to decode image"):
        reencode_image(data, "image/jpeg")


def test_an_image_that_does_not_decode_is_stored_unchanged() -> None:
    garbage = b"\xff\xd8\xff but broken"
    assert strip_exif(garbage, "image/jpeg") == garbage


def test_a_real_webp_stays_webp_with_its_transparency() -> None:
    # Given a WebP with a transparent half and EXIF
    image = Image.new("RGBA", (20, 10), (255, 0, 0, 255))
    image.paste((0, 0, 0, 0), (10, 0, 20, 10))
    tags = Image.Exif()
    tags[0x010F] = "Camera maker"
    out = io.BytesIO()
    image.save(out, format="WEBP", lossless=True, exif=tags.tobytes())

    # When it is stripped
    stripped = strip_exif(out.getvalue(), "image/webp")

    # Then it is still a WebP, still transparent where it was, and without EXIF
    with Image.open(io.BytesIO(stripped)) as decoded:
        assert decoded.format == "WEBP"
        assert decoded.convert("RGBA").getpixel((15, 5))[3] == 0  # type: ignore[index]
        assert not decoded.getexif()


def test_a_transparent_image_becoming_jpeg_is_laid_on_white() -> None:
    # Given a TIFF whose pixels are all transparent
    out = io.BytesIO()
    Image.new("RGBA", (4, 4), (0, 0, 0, 0)).save(out, format="TIFF")

    # When it is stripped (TIFF becomes JPEG)
    stripped = strip_exif(out.getvalue(), "image/tiff")

    # Then it is white, not black
    with Image.open(io.BytesIO(stripped)) as decoded:
        assert decoded.format == "JPEG"
        assert min(decoded.convert("RGB").getpixel((2, 2))) > 240  # type: ignore[arg-type]
