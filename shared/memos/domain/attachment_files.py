"""What an uploaded file may be called, what type it is, and the bytes kept of it.

Shared by the inline upload (CreateAttachment) and the direct upload's finalize, so both apply
the same rules (spec attachments.md §4):

- a filename is one plain path element: no separators, no traversal, no leading or trailing
  space or dot;
- a MIME type is the one sent, verbatim, or else derived from the extension, else sniffed from
  the first bytes the way browsers do (WHATWG MIME sniffing, common signatures), parameters
  dropped; either way it must look like ``type/subtype``;
- JPEG, TIFF, WebP, HEIC and HEIF images are decoded with their EXIF orientation applied and
  re-encoded as JPEG (quality 95), which drops the EXIF block (GPS position, camera, times); a
  real WebP file is re-encoded as WebP instead, keeping its transparency, and what Pillow can't
  decode (HEIC, HEIF) is stored unchanged.

Pillow is imported only when an image is re-encoded.
"""

from __future__ import annotations

import io
import logging
import re
from typing import TYPE_CHECKING, Final

from memos.errors import InvalidArgumentError

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

logger = logging.getLogger(__name__)

# The most raw bytes one CreateAttachment carries: base64 in the REST JSON body, or the API
# Gateway's base64 of a binary Connect body, still fits Lambda's 6 MB request payload.
INLINE_UPLOAD_LIMIT_BYTES: Final = 4 * 1024 * 1024
SNIFF_BYTES: Final = 512  # how much of the file the sniffer looks at

INVALID_FILENAME: Final = "filename contains invalid characters or format"
# Memos sets no limit; the name goes into the record, the memo's listing copies and every
# Content-Disposition (and a presigned URL's query), where a megabyte would break the record's
# 400 KB item or the answer's headers. A direct upload's metadata holds the same bytes encoded.
MAX_FILENAME_BYTES: Final = 1024
FILENAME_TOO_LONG: Final = f"filename is too long (at most {MAX_FILENAME_BYTES} bytes as UTF-8)"
INVALID_MIME_TYPE: Final = "invalid MIME type format"
OCTET_STREAM: Final = "application/octet-stream"

_MIME_TYPE_PATTERN: Final = re.compile(
    r"[a-zA-Z0-9][a-zA-Z0-9!#$&^_.+-]{0,126}/[a-zA-Z0-9][a-zA-Z0-9!#$&^_.+-]{0,126}"
)
_MIME_TYPE_MAX: Final = 255

# Extensions Memos knows on every host (Go's built-in table), plus common ones a Linux host's
# mime.types adds, so a file sent without a type still plays, displays or downloads as itself.
_TYPES_BY_EXTENSION: Final[dict[str, str]] = {
    ".avif": "image/avif",
    ".css": "text/css",
    ".gif": "image/gif",
    ".htm": "text/html",
    ".html": "text/html",
    ".jpeg": "image/jpeg",
    ".jpg": "image/jpeg",
    ".js": "text/javascript",
    ".json": "application/json",
    ".mjs": "text/javascript",
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".wasm": "application/wasm",
    ".webp": "image/webp",
    ".xml": "text/xml",
    # common host additions
    ".bmp": "image/bmp",
    ".csv": "text/csv",
    ".heic": "image/heic",
    ".heif": "image/heif",
    ".ico": "image/vnd.microsoft.icon",
    ".m4a": "audio/mp4",
    ".md": "text/markdown",
    ".mov": "video/quicktime",
    ".mp3": "audio/mpeg",
    ".mp4": "video/mp4",
    ".oga": "audio/ogg",
    ".ogg": "audio/ogg",
    ".ogv": "video/ogg",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".txt": "text/plain",
    ".wav": "audio/wav",
    ".webm": "video/webm",
    ".zip": "application/zip",
}

# Types whose bytes may carry EXIF: re-encoded on upload (spec §4.3).
EXIF_IMAGE_TYPES: Final = frozenset(
    {"image/jpeg", "image/jpg", "image/tiff", "image/webp", "image/heic", "image/heif"}
)
_JPEG_QUALITY: Final = 95
# The most pixels an image may have for us to decode it (a 64 MP photo; about 256 MB as RGBA).
# Pillow's own limit (about 179 MP, warning only from 89 MP) lets a 35 KB PNG or TIFF cost
# 700 MB to 2 GB and seconds of CPU once converted and re-encoded: larger images keep their
# bytes and get no thumbnail.
MAX_DECODED_PIXELS: Final = 64_000_000

# WHATWG "tag-terminated" HTML openings (compared case-insensitively after leading whitespace).
_HTML_OPENINGS: Final = (
    b"<!DOCTYPE HTML",
    b"<HTML",
    b"<HEAD",
    b"<SCRIPT",
    b"<IFRAME",
    b"<H1",
    b"<DIV",
    b"<FONT",
    b"<TABLE",
    b"<A",
    b"<STYLE",
    b"<TITLE",
    b"<B",
    b"<BODY",
    b"<BR",
    b"<P",
    b"<!--",
)
# Exact byte signatures at the start of the file, in the order they are tried.
_SIGNATURES: Final[tuple[tuple[bytes, str], ...]] = (
    (b"%PDF-", "application/pdf"),
    (b"%!PS-Adobe-", "application/postscript"),
    (b"\xfe\xff", "text/plain"),  # UTF-16 big-endian byte order mark
    (b"\xff\xfe", "text/plain"),  # UTF-16 little-endian byte order mark
    (b"\xef\xbb\xbf", "text/plain"),  # UTF-8 byte order mark
    (b"\x00\x00\x01\x00", "image/x-icon"),
    (b"\x00\x00\x02\x00", "image/x-icon"),
    (b"BM", "image/bmp"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"OggS\x00", "application/ogg"),
    (b"MThd\x00\x00\x00\x06", "audio/midi"),
    (b"ID3", "audio/mpeg"),
    (b"\x1a\x45\xdf\xa3", "video/webm"),
    (b"\x00asm", "application/wasm"),
    (b"PK\x03\x04", "application/zip"),
    (b"\x1f\x8b\x08", "application/x-gzip"),
    (b"Rar!\x1a\x07\x00", "application/x-rar-compressed"),
    (b"Rar!\x1a\x07\x01\x00", "application/x-rar-compressed"),
    (b"wOFF", "font/woff"),
    (b"wOF2", "font/woff2"),
)
# RIFF containers: "RIFF", four length bytes, then the form type.
_RIFF_FORMS: Final = {b"WEBP": "image/webp", b"WAVE": "audio/wave", b"AVI ": "video/avi"}
# Bytes that never occur in text (WHATWG "binary data bytes").
_BINARY_BYTES: Final = frozenset([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x1B), *range(0x1C, 0x20)])
_WHITESPACE: Final = b"\t\n\x0c\r "


def validate_filename(name: str) -> None:
    """Refuse a name that is not one plain file name, or is longer than
    :data:`MAX_FILENAME_BYTES` (INVALID_ARGUMENT)."""
    if len(name.encode("utf-8", "surrogatepass")) > MAX_FILENAME_BYTES:
        raise InvalidArgumentError(FILENAME_TOO_LONG)
    if (
        not name
        or "/" in name
        or "\\" in name
        or name in (".", "..")
        or name.startswith((" ", "."))
        or name.endswith((" ", "."))
    ):
        raise InvalidArgumentError(INVALID_FILENAME)


def is_valid_mime_type(mime_type: str) -> bool:
    return len(mime_type) <= _MIME_TYPE_MAX and _MIME_TYPE_PATTERN.fullmatch(mime_type) is not None


def resolve_mime_type(filename: str, given: str, head: bytes) -> str:
    """The type to store: ``given`` verbatim, else derived from ``filename`` or ``head``.

    ``head`` is the start of the content (the first :data:`SNIFF_BYTES` are enough).
    """
    mime_type = given or _derived_mime_type(filename, head)
    if not is_valid_mime_type(mime_type):
        raise InvalidArgumentError(INVALID_MIME_TYPE)
    return mime_type


def type_by_extension(filename: str) -> str:
    """The type the file's extension names (case-insensitive), or ``""``."""
    dot = filename.rfind(".")
    if dot < 0:
        return ""
    return _TYPES_BY_EXTENSION.get(filename[dot:].lower(), "")


def sniff_mime_type(head: bytes) -> str:
    """What the first bytes look like (WHATWG MIME sniffing for the common signatures)."""
    data = head[:SNIFF_BYTES]
    return _markup_type(data) or _signature_type(data) or _text_or_binary(data)


def strip_exif(data: bytes, mime_type: str) -> bytes:
    """The bytes to store for a file of ``mime_type``: EXIF-capable images re-encoded without
    their metadata; anything else, or an image that does not decode, unchanged."""
    if mime_type not in EXIF_IMAGE_TYPES:
        return data
    try:
        return reencode_image(data, mime_type)
    except ValueError as error:
        logger.warning("kept an image's original bytes: %s", error)
        return data


def reencode_image(data: bytes, mime_type: str) -> bytes:
    """Decode (EXIF orientation applied) and encode again without metadata: PNG stays PNG, a
    real WebP file stays WebP (its transparency kept), the rest become JPEG. Raises ValueError
    ("failed to decode image: ...") for bytes that are no image, or too large a one."""
    from PIL import Image, ImageOps, UnidentifiedImageError  # noqa: PLC0415 - images only

    try:
        with Image.open(io.BytesIO(data)) as opened:
            source_format = opened.format
            check_pixel_count(*opened.size)
            opened.load()
            image = ImageOps.exif_transpose(opened)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValueError(f"failed to decode image: {error}") from error
    out = io.BytesIO()
    if mime_type == "image/png":
        image.save(out, format="PNG")
    elif source_format == "WEBP":
        image.save(out, format="WEBP", quality=_JPEG_QUALITY)
    else:
        _as_opaque(image).save(out, format="JPEG", quality=_JPEG_QUALITY)
    return out.getvalue()


def check_pixel_count(width: int, height: int) -> None:
    """Raises ValueError when an image this size is more than we decode (read from its header,
    before any pixel is)."""
    if width * height > MAX_DECODED_PIXELS:
        raise ValueError(
            f"failed to decode image: {width}x{height} is more than {MAX_DECODED_PIXELS} pixels"
        )


def _as_opaque(image: PILImage) -> PILImage:
    """The image as JPEG can hold it: transparent parts laid on white."""
    from PIL import Image  # noqa: PLC0415 - images only

    if image.mode in ("RGB", "L"):
        return image
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, (255, 255, 255))
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


def _derived_mime_type(filename: str, head: bytes) -> str:
    derived = type_by_extension(filename) or sniff_mime_type(head)
    return derived.split(";", 1)[0].strip() or OCTET_STREAM


def _markup_type(data: bytes) -> str:
    """HTML or XML, recognised after leading whitespace."""
    text_start = data.lstrip(_WHITESPACE)
    upper = text_start[:16].upper()
    for opening in _HTML_OPENINGS:
        if upper.startswith(opening) and _tag_ends(text_start, len(opening)):
            return "text/html"
    return "text/xml" if text_start.startswith(b"<?xml") else ""


def _signature_type(data: bytes) -> str:
    for signature, mime_type in _SIGNATURES:
        if data.startswith(signature):
            return mime_type
    if data.startswith(b"RIFF") and data[8:12] in _RIFF_FORMS:
        return _RIFF_FORMS[data[8:12]]
    return "video/mp4" if _is_mp4(data) else ""


def _text_or_binary(data: bytes) -> str:
    return OCTET_STREAM if any(byte in _BINARY_BYTES for byte in data) else "text/plain"


def _tag_ends(data: bytes, at: int) -> bool:
    """An HTML opening counts only when a space or ``>`` follows it."""
    return len(data) > at and data[at : at + 1] in (b" ", b">")


def _is_mp4(data: bytes) -> bool:
    """An ISO media file whose major or compatible brands include ``mp4``."""
    if len(data) < 12:
        return False
    box_size = int.from_bytes(data[:4], "big")
    if box_size < 12 or box_size > len(data) or box_size % 4 != 0 or data[4:8] != b"ftyp":
        return False
    for offset in range(8, box_size, 4):
        if offset == 12:
            continue  # the minor version, not a brand
        if data[offset : offset + 3] == b"mp4":
            return True
    return False
