"""The webhook body in Memos' Go JSON form (spec memos.md §11)."""

from __future__ import annotations

import pytest

from memos.store.memos import Location, Memo
from memos.webhooks.payload import go_json, memo_document, webhook_body

SPEC_MEMO = Memo(
    id=1,
    uid="abc",
    creator_id=1,
    content="hi #x",
    visibility="PUBLIC",
    state="NORMAL",
    created_ts=1_700_000_000,
    updated_ts=1_700_000_000,
    tags=("x",),
    snippet="hi",
)


def test_the_spec_example_memo_is_written_byte_for_byte() -> None:
    # Given the memo of the spec's example
    # When its document is written as Go would
    written = go_json(memo_document(SPEC_MEMO))

    # Then it is the spec's example exactly
    assert written == (
        '{"name":"memos/abc","state":1,"creator":"users/1","create_time":{"seconds":1700000000},'
        '"update_time":{"seconds":1700000000},"display_time":{"seconds":1700000000},'
        '"content":"hi #x","visibility":3,"tags":["x"],"property":{},"snippet":"hi"}'
    )


def test_body_wraps_the_memo_with_url_activity_and_creator() -> None:
    # Given a memo document
    memo = memo_document(SPEC_MEMO)

    # When the body is built
    body = webhook_body("https://h.example/x?a=1&b=2", "memos.memo.created", 1, memo)

    # Then the top-level keys come in Memos' order, with Go's HTML-safe escaping
    assert body.startswith(
        b'{"url":"https://h.example/x?a=1\\u0026b=2","activityType":"memos.memo.created",'
        b'"creator":"users/1","memo":{"name":"memos/abc"'
    )


def test_optional_parts_appear_only_when_set() -> None:
    # Given an archived, pinned comment with properties, a location and update-time display
    memo = Memo(
        id=2,
        uid="c",
        creator_id=4,
        content="",
        visibility="PRIVATE",
        state="ARCHIVED",
        created_ts=0,
        updated_ts=5,
        pinned=True,
        has_link=True,
        has_incomplete_tasks=True,
        parent_uid="p",
        location=Location(placeholder="", latitude=30.0, longitude=-0.5),
    )

    # When its document is built with display_with_update_time
    document = memo_document(memo, display_with_update_time=True)

    # Then zero values are left out, and parent and location are present
    assert go_json(document) == (
        '{"name":"memos/c","state":2,"creator":"users/4","create_time":{},'
        '"update_time":{"seconds":5},"display_time":{"seconds":5},"visibility":1,'
        '"pinned":true,"property":{"has_link":true,"has_incomplete_tasks":true},'
        '"parent":"memos/p","location":{"latitude":30,"longitude":-0.5}}'
    )


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (30.0, "30"),
        (0.1, "0.1"),
        (-0.0, "-0"),
        (1e-7, "1e-7"),
        (1.5e25, "1.5e+25"),
        (1e21, "1e+21"),
        (123456789.125, "123456789.125"),
        (1e20, "100000000000000000000"),
    ],
)
def test_floats_are_written_as_go_writes_them(value: float, written: str) -> None:
    # Given a float / When it is written / Then it matches Go's encoding/json
    assert go_json(value) == written


def test_strings_escape_html_and_line_separators_but_keep_other_unicode() -> None:
    # Given text with markup, separators, controls and non-ASCII
    text = "<a href='x'>&</a>\u2028\u2029\n\t\x01é🎉"

    # When it is written / Then it is Go's escaping
    assert go_json(text) == (
        "\"\\u003ca href='x'\\u003e\\u0026\\u003c/a\\u003e\\u2028\\u2029\\n\\t\\u0001é🎉\""
    )
