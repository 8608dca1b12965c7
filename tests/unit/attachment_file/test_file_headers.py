"""The headers of attachment bytes (functions.attachment.file_headers), case by case."""

from __future__ import annotations

import pytest

from functions.attachment.file_headers import (
    ascii_content_disposition,
    content_disposition,
    entity_tag,
    file_headers,
    go_quote,
    http_date,
    not_modified,
    served_content_type,
)

SECURITY = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline';",
}


@pytest.mark.parametrize(
    ("stored", "sent"),
    [
        ("image/png", "image/png"),
        ("text/plain", "text/plain; charset=utf-8"),
        ("text/markdown", "text/markdown; charset=utf-8"),
        ("text/csv", "text/csv; charset=utf-8"),
        ("text/html", "application/octet-stream"),
        ("TEXT/HTML", "application/octet-stream"),
        ("text/javascript", "application/octet-stream"),
        ("application/javascript", "application/octet-stream"),
        ("application/x-javascript", "application/octet-stream"),
        ("text/xml", "application/octet-stream"),
        ("application/xml", "application/octet-stream"),
        ("application/xhtml+xml", "application/octet-stream"),
        ("image/svg+xml", "application/octet-stream"),
        ("application/pdf", "application/pdf"),
        ("video/mp4", "video/mp4"),
        ("", "application/octet-stream"),
    ],
)
def test_the_content_type_is_the_stored_one_made_safe(stored: str, sent: str) -> None:
    # Given a stored type / When the content type is derived / Then it is Memos' choice
    assert served_content_type(stored) == sent


@pytest.mark.parametrize(
    ("stored", "color_gamut", "disposition"),
    [
        ("image/png", True, False),
        ("image/jpeg", True, False),
        ("image/svg+xml", True, True),  # sent as octet-stream: downloads
        ("application/pdf", False, False),
        ("text/plain", False, True),
        ("text/html", False, True),
        ("application/zip", False, True),
        ("video/mp4", True, False),
        ("audio/mpeg", False, False),
    ],
)
def test_color_gamut_and_disposition_follow_the_type(
    stored: str, color_gamut: bool, disposition: bool
) -> None:
    # Given an attachment of the stored type
    # When its headers are built
    headers = dict(file_headers(stored, "report.bin"))

    # Then the security and cache headers are always there, the others by type
    assert {name: headers[name] for name in SECURITY} == SECURITY
    assert headers["cache-control"] == "public, max-age=3600"
    assert ("color-gamut" in headers) is color_gamut
    if color_gamut:
        assert headers["color-gamut"] == "srgb, p3, rec2020"
    assert ("content-disposition" in headers) is disposition
    if disposition:
        assert headers["content-disposition"] == 'attachment; filename="report.bin"'


@pytest.mark.parametrize(
    ("name", "quoted"),
    [
        ("plain.txt", '"plain.txt"'),
        ('say "hi".txt', '"say \\"hi\\".txt"'),
        ("back\\slash.txt", '"back\\\\slash.txt"'),
        ("tab\there", '"tab\\there"'),
        ("line\nbreak", '"line\\nbreak"'),
        ("bell\a", '"bell\\a"'),
        ("nul\x00", '"nul\\x00"'),
        ("esc\x1b", '"esc\\x1b"'),
        ("del\x7f", '"del\\x7f"'),
        ("café.txt", '"café.txt"'),
        ("日本語.pdf", '"日本語.pdf"'),
        ("nbsp\u00a0x", '"nbsp\\u00a0x"'),
        ("zwsp\u200bx", '"zwsp\\u200bx"'),
        ("private\U000f0000", '"private\\U000f0000"'),
        ("emoji 🎉.png", '"emoji 🎉.png"'),
    ],
)
def test_filenames_are_quoted_as_go_quotes_them(name: str, quoted: str) -> None:
    # Given a filename / When it is quoted / Then it reads as Go's %q writes it
    assert go_quote(name) == quoted
    assert content_disposition(name) == f"attachment; filename={quoted}"


def test_a_non_ascii_disposition_for_s3_carries_an_ascii_fallback_and_the_utf8_name() -> None:
    # Given a filename with non-ASCII characters
    # When the disposition S3 is asked to send is built
    value = ascii_content_disposition("café.txt")

    # Then it is ASCII only and names the file both ways
    assert value.isascii()
    assert value == "attachment; filename=\"caf?.txt\"; filename*=UTF-8''caf%C3%A9.txt"
    assert ascii_content_disposition("a.txt") == 'attachment; filename="a.txt"'


def test_the_entity_tag_changes_with_the_update_time_and_the_variant() -> None:
    # Given one attachment's facts
    original = entity_tag("uid1", 10, 1_700_000_000, thumbnail=False)

    # When any of them changes, or the thumbnail is asked for
    renamed = entity_tag("uid1", 10, 1_700_000_001, thumbnail=False)
    thumbnail = entity_tag("uid1", 10, 1_700_000_000, thumbnail=True)

    # Then the tag differs, and is a quoted strong tag
    assert len({original, renamed, thumbnail}) == 3
    assert original.startswith('"')
    assert original.endswith('"')
    assert entity_tag("uid1", 10, 1_700_000_000, thumbnail=False) == original


MODIFIED = 1_700_000_000  # Tue, 14 Nov 2023 22:13:20 GMT


@pytest.mark.parametrize(
    ("if_none_match", "if_modified_since", "expected"),
    [
        (None, None, False),
        ('"abc"', None, True),
        ('W/"abc"', None, True),
        ('"x", "abc"', None, True),
        ("*", None, True),
        ('"other"', None, False),
        ('"other"', http_date(MODIFIED), False),  # If-None-Match wins
        (None, http_date(MODIFIED), True),
        (None, http_date(MODIFIED + 60), True),
        (None, http_date(MODIFIED - 1), False),
        (None, "not a date", False),
    ],
)
def test_conditional_requests(
    if_none_match: str | None, if_modified_since: str | None, expected: bool
) -> None:
    # Given an answer tagged "abc", modified at MODIFIED
    # When a request carries these validators / Then 304 is due exactly when they match
    assert not_modified(if_none_match, if_modified_since, '"abc"', MODIFIED) is expected


def test_http_dates_are_imf_fixdates() -> None:
    assert http_date(MODIFIED) == "Tue, 14 Nov 2023 22:13:20 GMT"
