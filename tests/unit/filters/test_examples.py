"""The example filters of the spec (§10) and the filters the web app sends (§9)."""

from __future__ import annotations

import pytest

from memos.errors import InvalidArgumentError
from memos.filters import compile_memo_filter
from tests.unit.filters.records import NOW, memo, memos_matching

# Given one memo set covering every example
MEMOS = [
    memo("Hello world", creator_id=1, visibility="PUBLIC", pinned=True, tags=["book"]),
    memo("Привет Мир", creator_id=2, visibility="PRIVATE", tags=["book/fiction", "project"]),
    memo("Unicode test: 你好世界 🌍", creator_id=3, visibility="PROTECTED", tags=["work"]),
    memo(
        "Recent news", creator_id=1, visibility="PUBLIC", tags=["personal/fun", "archive/project"]
    ),
    memo("tasks", visibility="PRIVATE", has_task_list=True, has_incomplete_tasks=True),
    memo("done tasks", has_task_list=True, has_link=True, tags=["project/bug", "important"]),
    memo("snippet", has_code=True, tags=["work/debug", "work/todo-list"], created_ts=NOW - 7200),
    memo("old", created_ts=NOW - 100_000, updated_ts=NOW - 100_000, tags=["project/todo"]),
]
ALL = [record["content"] for record in MEMOS]


@pytest.mark.parametrize(
    ("filter_text", "expected"),
    [
        (
            "creator_id == 1",
            ["Hello world", "Recent news", "tasks", "done tasks", "snippet", "old"],
        ),
        ("creator_id != 1", ["Привет Мир", "Unicode test: 你好世界 🌍"]),
        ("creator_id in [1, 2]", [c for c in ALL if c != "Unicode test: 你好世界 🌍"]),
        (
            'visibility == "PUBLIC"',
            [c for c in ALL if c not in {"Привет Мир", "tasks", "Unicode test: 你好世界 🌍"}],
        ),
        (
            'visibility in ["PUBLIC", "PRIVATE"]',
            [c for c in ALL if c != "Unicode test: 你好世界 🌍"],
        ),
        ('visibility != "PUBLIC"', ["Привет Мир", "Unicode test: 你好世界 🌍", "tasks"]),
        ('!(visibility == "PUBLIC")', ["Привет Мир", "Unicode test: 你好世界 🌍", "tasks"]),
        ("pinned", ["Hello world"]),
        ("pinned == true", ["Hello world"]),
        ("!pinned", ALL[1:]),
        ("pinned == false", ALL[1:]),
        ('content.contains("hello")', ["Hello world"]),
        ('content.contains("привет")', ["Привет Мир"]),
        ('content.contains("你好")', ["Unicode test: 你好世界 🌍"]),
        ('!content.contains("Recent")', [c for c in ALL if c != "Recent news"]),
        ('tag in ["book"]', ["Hello world", "Привет Мир"]),
        ('tag in ["work", "personal"]', ["Unicode test: 你好世界 🌍", "Recent news", "snippet"]),
        ('"project" in tags', ["Привет Мир"]),
        ("size(tags) == 0", ["tasks"]),
        ("size(tags) > 1", ["Привет Мир", "Recent news", "done tasks", "snippet"]),
        ('tags.exists(t, t.startsWith("archive"))', ["Recent news"]),
        ('!tags.exists(t, t.startsWith("archive"))', [c for c in ALL if c != "Recent news"]),
        ('tags.exists(t, t.startsWith("archive/homelab"))', []),
        ('tags.exists(t, t.endsWith("bug"))', ["done tasks", "snippet"]),
        ('tags.exists(t, t.contains("todo"))', ["snippet", "old"]),
        ("has_task_list && has_incomplete_tasks", ["tasks"]),
        ("has_link || has_code", ["done tasks", "snippet"]),
        ("has_task_list && !has_link", ["tasks"]),
        ("created_ts >= now() - 86400", ALL[:-1]),
        ("created_ts >= now() - 60 * 60", [c for c in ALL if c not in {"snippet", "old"}]),
        (
            f"created_ts >= {NOW} && created_ts < {NOW + 86400}",
            [c for c in ALL if c not in {"snippet", "old"}],
        ),
        ("updated_ts > now() + 3600", []),
        (
            '(pinned || tag in ["important"]) && visibility == "PUBLIC"',
            ["Hello world", "done tasks"],
        ),
        (
            "!(pinned || has_task_list)",
            ["Привет Мир", "Unicode test: 你好世界 🌍", "Recent news", "snippet", "old"],
        ),
        ("true", ALL),
        ("false", []),
    ],
)
def test_example_filters(filter_text: str, expected: list[str]) -> None:
    # When the memo set is filtered / Then exactly the expected memos remain
    assert memos_matching(filter_text, MEMOS, now=NOW) == expected


@pytest.mark.parametrize("filter_text", ['tag == "work"', "creator_id > 1"])
def test_example_filters_that_are_rejected(filter_text: str) -> None:
    with pytest.raises(InvalidArgumentError, match=r"^invalid filter: failed to compile filter: "):
        compile_memo_filter(filter_text, now=NOW)


@pytest.mark.parametrize(
    "filter_text",
    [
        "creator_id == 1",
        'visibility in ["PUBLIC", "PROTECTED"]',
        'visibility in ["PUBLIC"]',
        'content.contains("meeting notes")',
        'tag in ["work/projects"]',
        "pinned",
        "has_link",
        "has_task_list",
        "has_code",
        f"created_ts >= {NOW - 3600} && created_ts < {NOW - 3600 + 86400}",
        f"updated_ts >= {NOW} && updated_ts < {NOW + 86400}",
        'creator_id == 1 && tag in ["work"] && content.contains("meeting") && pinned',
        'creator_id == 1 || visibility in ["PUBLIC", "PROTECTED"]',
        'visibility == "PUBLIC"',
    ],
)
def test_every_filter_shape_the_web_app_sends_compiles(filter_text: str) -> None:
    compile_memo_filter(filter_text, now=NOW)


def test_the_combined_web_app_request_matches_as_documented() -> None:
    # Given
    memos = [
        memo("meeting notes", tags=["work"], pinned=True),
        memo("Meeting notes", tags=["work/minutes"], pinned=True),
        memo("meeting, unpinned", tags=["work"]),
        memo("meeting by someone else", tags=["work"], pinned=True, creator_id=2),
        memo("pinned, other tag", tags=["home"], pinned=True),
    ]
    request = 'creator_id == 1 && tag in ["work"] && content.contains("meeting") && pinned'
    # When / Then
    assert memos_matching(request, memos) == ["meeting notes", "Meeting notes"]


def test_a_shortcut_inserted_unparenthesised_keeps_cel_precedence() -> None:
    # Given the home filter joined with a shortcut's "a || b" text
    memos = [
        memo("mine, pinned", pinned=True),
        memo("theirs, code", creator_id=2, has_code=True),
        memo("theirs, pinned", creator_id=2, pinned=True),
    ]
    # When
    matched = memos_matching("creator_id == 1 && pinned || has_code", memos)
    # Then it reads (creator_id == 1 && pinned) || has_code
    assert matched == ["mine, pinned", "theirs, code"]


def test_search_text_with_a_quote_ends_the_string_early() -> None:
    with pytest.raises(InvalidArgumentError, match="Syntax error"):
        compile_memo_filter('content.contains("say "hi"")', now=NOW)


def test_search_text_with_a_valid_escape_changes_the_searched_text() -> None:
    # Given a memo with a tab, searched for with the two characters backslash and t
    memos = [memo("a\tb"), memo("a\\tb")]
    # When / Then: CEL decodes \t, so the tab matches
    assert memos_matching('content.contains("a\\tb")', memos) == ["a\tb"]


def test_search_text_with_an_invalid_escape_is_a_syntax_error() -> None:
    with pytest.raises(InvalidArgumentError, match=r"1:21: Syntax error: invalid escape"):
        compile_memo_filter('content.contains("C:\\dir")', now=NOW)


def test_search_is_literal_so_percent_and_underscore_are_not_wildcards() -> None:
    # Given
    memos = [memo("50% off"), memo("500 off"), memo("a_b"), memo("axb")]
    # When / Then
    assert memos_matching('content.contains("50%")', memos) == ["50% off"]
    assert memos_matching('content.contains("a_b")', memos) == ["a_b"]


def test_contains_uses_full_unicode_case_folding() -> None:
    memos = [memo("Die Straße"), memo("ΣΊΣΥΦΟΣ")]
    assert memos_matching('content.contains("STRASSE")', memos) == ["Die Straße"]
    assert memos_matching('content.contains("σίσυφος")', memos) == ["ΣΊΣΥΦΟΣ"]


def test_tag_in_an_empty_list_matches_nothing() -> None:
    assert memos_matching("tag in []", MEMOS) == []
    assert memos_matching("!(tag in [])", MEMOS) == ALL


def test_tag_matching_is_exact_case_and_hierarchical_on_whole_segments() -> None:
    # Given
    memos = [
        memo("book", tags=["book"]),
        memo("shelf", tags=["bookshelf"]),
        memo("Book", tags=["Book"]),
    ]
    # When / Then
    assert memos_matching('tag in ["book"]', memos) == ["book"]
    assert memos_matching('"Book" in tags', memos) == ["Book"]
