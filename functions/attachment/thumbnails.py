"""Thumbnails of image attachments (``?thumbnail=true``), made once and kept in S3.

Memos' rules: only images stored as PNG, JPEG, HEIC, HEIF or WebP get one; the longer side is
scaled down to at most 600 px (never up: smaller images are re-encoded at their size), with the
aspect ratio kept, Lanczos resampling and the EXIF orientation applied. The output format is the
one the filename's extension names (``.jpg``/``.jpeg``, ``.png``, ``.gif``, ``.tif``/``.tiff``,
``.bmp``, as Go's ``imaging.Save``); any other extension, or bytes that don't decode, mean no
thumbnail: the original is served instead.

A thumbnail is written to ``thumbnails/<uid>`` labelled with its format's type, and read from
there on every later request; it is made again only when a rename asks for another format.
Pillow is imported only when one is made, so no other request pays for loading it.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Final

from msgspec import Struct

from memos.domain.attachment_files import check_pixel_count
from memos.store.blobs import thumbnail_object_key

if TYPE_CHECKING:
    from PIL.Image import Image

    from memos.store.attachments import Attachment
    from memos.store.blobs import BlobStore

THUMBNAIL_MAX_SIDE: Final = 600
THUMBNAIL_SOURCE_TYPES: Final = frozenset(
    {"image/png", "image/jpeg", "image/heic", "image/heif", "image/webp"}
)
JPEG_QUALITY: Final = 95  # Go imaging's default
# Larger originals get no thumbnail (the original is served): making one reads the whole object
# into the function's memory, and a direct upload may be up to a gigabyte.
THUMBNAIL_SOURCE_MAX_BYTES: Final = 64 * 1024 * 1024
# User metadata of the empty object kept instead of a thumbnail that can't be made.
NO_THUMBNAIL_METADATA: Final = "no-thumbnail"
# Output format (Pillow's name) and the type its object is labelled with, per extension.
_FORMATS: Final = {
    ".jpg": ("JPEG", "image/jpeg"),
    ".jpeg": ("JPEG", "image/jpeg"),
    ".png": ("PNG", "image/png"),
    ".gif": ("GIF", "image/gif"),
    ".tif": ("TIFF", "image/tiff"),
    ".tiff": ("TIFF", "image/tiff"),
    ".bmp": ("BMP", "image/bmp"),
}
# Decode at no less than this many times the target size before the Lanczos pass (as Pillow's
# own thumbnail does), so JPEG's cheap DCT downscale never shows in the result.
_DRAFT_FACTOR: Final = 2


def gets_thumbnail(stored_type: str, size: int) -> bool:
    """Whether ``?thumbnail=true`` can give something other than the original."""
    return stored_type in THUMBNAIL_SOURCE_TYPES and size <= THUMBNAIL_SOURCE_MAX_BYTES


def thumbnail_format(filename: str) -> tuple[str, str] | None:
    """(Pillow format, MIME type) the filename's extension asks for, or None when unsupported."""
    dot = filename.rfind(".")
    if dot < 0:
        return None
    return _FORMATS.get(filename[dot:].lower())


def thumbnail_size(width: int, height: int) -> tuple[int, int]:
    """The size of the thumbnail of a ``width`` x ``height`` image."""
    longest = max(width, height)
    if longest <= THUMBNAIL_MAX_SIDE:
        return width, height
    if width >= height:
        return THUMBNAIL_MAX_SIDE, max(1, int(THUMBNAIL_MAX_SIDE * height / width + 0.5))
    return max(1, int(THUMBNAIL_MAX_SIDE * width / height + 0.5)), THUMBNAIL_MAX_SIDE


class KeptThumbnail(Struct, frozen=True):
    """What the bucket holds for the format asked: the thumbnail, or (None) the mark that
    none can be made from these bytes."""

    data: bytes | None


def cached_thumbnail(blobs: BlobStore, attachment: Attachment) -> KeptThumbnail | None:
    """What is kept for the format the current filename asks for; None when nothing is."""
    wanted = thumbnail_format(attachment.filename)
    if wanted is None:
        return None
    blob = blobs.get(thumbnail_object_key(attachment.uid))
    if blob is None or blob.info.content_type != wanted[1]:
        return None
    if blob.info.metadata.get(NO_THUMBNAIL_METADATA) or not blob.data:  # never a thumbnail
        return KeptThumbnail(None)
    return KeptThumbnail(blob.data)


def store_thumbnail(blobs: BlobStore, attachment: Attachment, original: bytes) -> bytes | None:
    """Make the thumbnail of ``original`` and keep it (a failed write is logged: the next
    request makes it again); None when there can be none (kept as a mark, see
    :func:`cached_thumbnail`)."""
    wanted = thumbnail_format(attachment.filename)
    if wanted is None:
        return None
    image_format, content_type = wanted
    data = make_thumbnail(original, image_format)
    # Bytes that make no thumbnail are marked so, or each request would decode them again.
    mark = {NO_THUMBNAIL_METADATA: "true"} if data is None else None
    try:
        blobs.put(thumbnail_object_key(attachment.uid), data or b"", content_type, metadata=mark)
    except Exception as error:  # the thumbnail is made: serve it, keep it next time
        from memos.observability import get_logger  # noqa: PLC0415 - only on failures

        get_logger().warning(
            "could not keep a thumbnail",
            extra={"attachment": attachment.uid, "error": type(error).__name__},
        )
    return data


def make_thumbnail(original: bytes, image_format: str) -> bytes | None:
    """The thumbnail of ``original`` encoded as ``image_format``; None when it doesn't decode
    (or can't be written in that format)."""
    from PIL import Image, ImageOps  # noqa: PLC0415 - see module doc

    try:
        with Image.open(io.BytesIO(original)) as image:
            _draft(image)
            check_pixel_count(*image.size)  # the size it decodes at, once JPEG's draft is set
            upright = ImageOps.exif_transpose(image)
            resized = _resized(upright)
            return _encoded(resized, image_format)
    # Anything a decoder can raise on hostile bytes (OSError, SyntaxError, ValueError, EOFError,
    # Pillow's decompression-bomb limit, ...) means the same: no thumbnail, serve the original.
    except Exception:
        return None


def _draft(image: Image) -> None:
    """Let JPEG decode at a reduced scale when the image is far bigger than its thumbnail."""
    width, height = image.size
    target = thumbnail_size(width, height)
    image.draft("RGB", (target[0] * _DRAFT_FACTOR, target[1] * _DRAFT_FACTOR))


def _resized(image: Image) -> Image:
    from PIL import Image as PilImage  # noqa: PLC0415 - see module doc

    size = thumbnail_size(*image.size)
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if _has_alpha(image) else "RGB")
    if size == image.size:
        return image
    return image.resize(size, PilImage.Resampling.LANCZOS)


def _encoded(image: Image, image_format: str) -> bytes:
    if image_format == "JPEG" and image.mode != "RGB":
        image = image.convert("L" if image.mode in ("L", "LA") else "RGB")
    out = io.BytesIO()
    if image_format == "JPEG":
        image.save(out, format="JPEG", quality=JPEG_QUALITY)
    else:
        image.save(out, format=image_format)
    return out.getvalue()


def _has_alpha(image: Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in image.info
