"""The headers of an attachment's bytes on ``/file/attachments/...``, by Memos' rules.

- every answer carries the security headers (no sniffing, no framing, no active content);
- the content type is the stored one, with ``; charset=utf-8`` added to ``text/*`` types, and
  types a browser could run as script (HTML, JavaScript, XML, SVG) sent as
  ``application/octet-stream`` instead;
- ``Cache-Control: public, max-age=3600`` for files anyone may read (Memos sends it for every
  file); files that need a signed-in reader get ``private, no-cache`` instead, so no shared
  cache keeps them and a browser asks again (a cheap 304 after the access check) each time:
  a signed-out browser can't show a private image from its cache;
- ``Color-Gamut`` for images and videos;
- files that are not audio or video download (``Content-Disposition: attachment``) unless the
  type sent is an image or a PDF; the filename is quoted as Go's ``%q`` quotes it.

Added here (Memos sends none for these files): an ``ETag`` derived from the attachment's uid,
size and update time (its bytes never change; a rename changes the update time) and the
variant (original or thumbnail), ``Last-Modified`` = the update time, and 304 answers to
``If-None-Match`` / ``If-Modified-Since``, so a browser revalidating costs no S3 read.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import Final
from urllib.parse import quote

SECURITY_HEADERS: Final = (
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("content-security-policy", "default-src 'none'; style-src 'unsafe-inline';"),
)
CACHE_CONTROL: Final = "public, max-age=3600"
PRIVATE_CACHE_CONTROL: Final = "private, no-cache"
COLOR_GAMUT: Final = "srgb, p3, rec2020"
OCTET_STREAM: Final = "application/octet-stream"
# Types a browser would render as a page or run as script: never sent as themselves.
SCRIPTABLE_TYPES: Final = frozenset(
    {
        "text/html",
        "text/javascript",
        "application/javascript",
        "application/x-javascript",
        "text/xml",
        "application/xml",
        "application/xhtml+xml",
        "image/svg+xml",
    }
)
_GO_SHORT_ESCAPES: Final = {
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\v": "\\v",
    "\\": "\\\\",
    '"': '\\"',
}

Header = tuple[str, str]


def is_media_type(stored_type: str) -> bool:
    """Audio and video: never proxied, never downloaded as attachments."""
    return stored_type.startswith(("video/", "audio/"))


def is_scriptable(stored_type: str) -> bool:
    """Whether a browser could run the type as a page: the listed types, and any XML one
    (``image/x+xml`` or ``video/x+xml`` render as XML documents, SVG's scripts included, and a
    media type is served inline straight from S3, where no CSP applies)."""
    lowered = stored_type.lower()
    return lowered in SCRIPTABLE_TYPES or lowered.endswith("+xml")


def served_content_type(stored_type: str) -> str:
    """The ``Content-Type`` sent for an attachment of ``stored_type``."""
    if is_scriptable(stored_type):
        return OCTET_STREAM
    if not stored_type:
        return OCTET_STREAM
    if stored_type.startswith("text/"):
        return f"{stored_type}; charset=utf-8"
    return stored_type


def downloads(stored_type: str) -> bool:
    """Whether the answer tells the browser to save the file rather than show it."""
    if is_media_type(stored_type):
        return False
    content_type = served_content_type(stored_type)
    return not content_type.startswith("image/") and content_type != "application/pdf"


def content_disposition(filename: str) -> str:
    """``attachment; filename="..."`` with the name quoted as Go's ``%q`` does."""
    return f"attachment; filename={go_quote(filename)}"


def ascii_content_disposition(filename: str) -> str:
    """The disposition for a header S3 writes (a presigned URL's override), ASCII only: the
    Go-quoted name when it is ASCII, else an ASCII fallback plus the RFC 6266 UTF-8 form."""
    quoted = go_quote(filename)
    if quoted.isascii():
        return f"attachment; filename={quoted}"
    fallback = go_quote(filename.encode("ascii", "replace").decode("ascii"))
    return f"attachment; filename={fallback}; filename*=UTF-8''{quote(filename, safe='')}"


def go_quote(text: str) -> str:
    """``text`` as a double-quoted Go string literal (``strconv.Quote``): backslash, quote and
    the C escapes escaped, other control bytes as ``\\xhh``, non-printable characters as
    ``\\uhhhh`` / ``\\Uhhhhhhhh``; printable Unicode kept as it is."""
    parts = ['"']
    for char in text:
        short = _GO_SHORT_ESCAPES.get(char)
        code = ord(char)
        if short is not None:
            parts.append(short)
        elif char == " " or char.isprintable():
            parts.append(char)
        elif code < 0x20 or code == 0x7F:
            parts.append(f"\\x{code:02x}")
        elif 0xD800 <= code <= 0xDFFF:  # a lone surrogate is no rune: Go writes U+FFFD
            parts.append("\\ufffd")
        elif code < 0x10000:
            parts.append(f"\\u{code:04x}")
        else:
            parts.append(f"\\U{code:08x}")
    parts.append('"')
    return "".join(parts)


def file_headers(
    stored_type: str, filename: str, *, cache_control: str = CACHE_CONTROL
) -> list[Header]:
    """Every header of a 200 (or HEAD) answer with the attachment's bytes, but its length."""
    headers: list[Header] = [
        *SECURITY_HEADERS,
        ("content-type", served_content_type(stored_type)),
        ("cache-control", cache_control),
    ]
    if stored_type.startswith(("image/", "video/")):
        headers.append(("color-gamut", COLOR_GAMUT))
    if downloads(stored_type):
        headers.append(("content-disposition", content_disposition(filename)))
    return headers


def entity_tag(uid: str, size: int, updated_ts: int, *, thumbnail: bool) -> str:
    """The strong ``ETag`` of one answer (quoted)."""
    variant = "thumbnail" if thumbnail else "original"
    digest = hashlib.sha256(f"{uid}\n{size}\n{updated_ts}\n{variant}".encode()).hexdigest()
    return f'"{digest[:32]}"'


def http_date(unix_seconds: int) -> str:
    """An IMF-fixdate (``Sun, 06 Nov 1994 08:49:37 GMT``)."""
    return format_datetime(datetime.fromtimestamp(unix_seconds, UTC), usegmt=True)


def not_modified(
    if_none_match: str | None, if_modified_since: str | None, etag: str, modified_ts: int
) -> bool:
    """Whether a GET or HEAD with these request headers gets 304 (RFC 9110 §13.2.2: when
    ``If-None-Match`` is present ``If-Modified-Since`` is ignored; ETags compare weakly)."""
    if if_none_match is not None:
        wanted = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in wanted or etag in wanted
    if if_modified_since is None:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since.strip())
    except (TypeError, ValueError):
        return False
    if since.tzinfo is None:  # a date without a zone is not a valid HTTP date
        return False
    return modified_ts <= since.timestamp()
