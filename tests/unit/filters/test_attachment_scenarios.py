"""The attachment filter scenarios Memos v0.26.2 asserts (store/test/attachment_filter_test.go)."""

from __future__ import annotations

import pytest

from tests.unit.filters.records import NOW, attachment, attachments_matching

FILES = [attachment("report.pdf"), attachment("document.pdf"), attachment("image.png")]
ODD_NAMES = [attachment("file_with-special.chars@2024.pdf"), attachment("document_报告.pdf")]
TYPES = [
    attachment("png", mime_type="image/png"),
    attachment("jpeg", mime_type="image/jpeg"),
    attachment("pdf", mime_type="application/pdf"),
]


@pytest.mark.parametrize(
    ("filter_text", "attachments", "expected"),
    [
        ('filename.contains("report")', FILES, ["report.pdf"]),
        ('filename.contains(".pdf")', FILES, ["report.pdf", "document.pdf"]),
        ('filename.contains("nonexistent")', FILES, []),
        ('filename.contains("REPORT")', FILES, ["report.pdf"]),
        ('filename.contains("_with")', ODD_NAMES, ["file_with-special.chars@2024.pdf"]),
        ('filename.contains("@2024")', ODD_NAMES, ["file_with-special.chars@2024.pdf"]),
        ('filename.contains("报告")', ODD_NAMES, ["document_报告.pdf"]),
        ('filename.contains("nonexistent12345")', FILES, []),
        ('filename.contains("")', FILES[:2], ["report.pdf", "document.pdf"]),
        ('mime_type == "image/png"', TYPES, ["png"]),
        ('mime_type == "application/pdf"', TYPES, ["pdf"]),
        ('mime_type != "image/png"', [TYPES[0], TYPES[2]], ["pdf"]),
        ('mime_type in ["image/png", "image/jpeg"]', TYPES, ["png", "jpeg"]),
        ('mime_type in ["video/mp4"]', TYPES, []),
    ],
)
def test_filename_and_mime_type(
    filter_text: str, attachments: list[dict[str, object]], expected: list[str]
) -> None:
    assert attachments_matching(filter_text, attachments) == expected


@pytest.mark.parametrize(
    ("filter_text", "matches"),
    [
        (f"create_time < {NOW + 3600}", True),
        (f"create_time > {NOW - 3600}", True),
        (f"create_time > {NOW + 3600}", False),
        ("create_time < now() + 5", True),
        ("create_time > now() + 5", False),
        ("create_time >= now() - 3600", True),
        ("create_time < now() - 86400", False),
        ("create_time >= now() - 60 * 60", True),
        ("create_time < now() + 3600", True),
        ("create_time > now() - 3600", True),
        ("create_time >= now() - 60", True),
    ],
)
def test_create_time_compares_with_now_arithmetic(filter_text: str, matches: bool) -> None:
    # Given an attachment created just now
    files = [attachment("new.png")]
    # When / Then
    assert attachments_matching(filter_text, files, now=NOW) == (["new.png"] if matches else [])


def test_memo_id_compares_with_the_linked_memo_and_with_null() -> None:
    # Given attachments on memo 10 and memo 20, and an unlinked one
    linked = [attachment("one.png", memo_id=10), attachment("two.png", memo_id=20)]
    unlinked = attachment("no_memo.png", memo_id=None)
    # When / Then
    assert attachments_matching("memo_id == 10", linked) == ["one.png"]
    assert attachments_matching("memo_id != 10", linked) == ["two.png"]
    assert attachments_matching("memo_id in [10, 30]", linked) == ["one.png"]
    assert attachments_matching("memo_id == null", [unlinked, linked[0]]) == ["no_memo.png"]
    assert attachments_matching("memo_id != null", [unlinked, linked[0]]) == ["one.png"]


def test_logic_over_attachment_fields() -> None:
    # Given
    images = [
        attachment("image.png", mime_type="image/png"),
        attachment("photo.png", mime_type="image/png"),
        attachment("image.pdf", mime_type="application/pdf"),
    ]
    three = [*TYPES[:1], TYPES[2], attachment("mp4", mime_type="video/mp4")]
    reports = [
        attachment("report.png", mime_type="image/png"),
        attachment("report.pdf", mime_type="application/pdf"),
        attachment("other.png", mime_type="image/png"),
    ]
    # When / Then
    assert attachments_matching(
        'mime_type == "image/png" && filename.contains("image")', images
    ) == ["image.png"]
    assert attachments_matching(
        'mime_type == "image/png" || mime_type == "application/pdf"', three
    ) == ["png", "pdf"]
    assert attachments_matching('!(mime_type == "image/png")', [TYPES[0], TYPES[2]]) == ["pdf"]
    grouped = '(mime_type == "image/png" || mime_type == "application/pdf")'
    assert attachments_matching(f'{grouped} && filename.contains("report")', reports) == [
        "report.png",
        "report.pdf",
    ]


def test_attachment_list_filters_of_the_store_tests() -> None:
    # Given
    files = [
        attachment("test1.png", mime_type="image/png"),
        attachment("test2.jpg", mime_type="image/jpeg"),
        attachment("test3.txt", mime_type="text/plain"),
    ]
    # When / Then
    assert attachments_matching('mime_type == "image/png"', files) == ["test1.png"]
    assert len(attachments_matching('mime_type in ["image/png", "image/jpeg"]', files)) == 2
    assert len(attachments_matching('filename.contains("test")', files)) == 3
    assert attachments_matching(
        'filename.contains("report") && mime_type == "image/png"',
        [attachment("report.png", mime_type="image/png"), *files],
    ) == ["report.png"]
