"""The memo filter scenarios Memos v0.26.2 asserts (store/test/memo_filter_test.go)."""

from __future__ import annotations

import pytest

from tests.unit.filters.records import NOW, memo, memos_matching

# Given: each scenario's memo set, as in the Go tests
CONTENT = [memo("Hello world"), memo("Goodbye world"), memo("Testing content")]
SPECIAL = [
    memo("Special chars: @#$%^&*()"),
    memo("Unicode test: 你好世界 🌍"),
    memo("Привет Мир"),
    memo("MixedCase Content"),
]
VISIBILITIES = [
    memo("public", visibility="PUBLIC"),
    memo("private", visibility="PRIVATE"),
    memo("protected", visibility="PROTECTED"),
]
PINNED = [memo("pinned", pinned=True), memo("unpinned")]
CREATORS = [memo("by u1", creator_id=1), memo("by u2", creator_id=2)]
TAGGED = [memo("work", tags=["work", "important"]), memo("personal", tags=["personal", "fun"])]
TAGGED += [memo("untagged")]
PROJECTS = [memo("project", tags=["project", "todo"]), memo("untagged")]
BOOKS = [memo("book", tags=["book"]), memo("fiction", tags=["book/fiction"])]


@pytest.mark.parametrize(
    ("filter_text", "memos", "expected"),
    [
        ('content.contains("Hello")', CONTENT, ["Hello world"]),
        ('content.contains("world")', CONTENT, ["Hello world", "Goodbye world"]),
        ('content.contains("nonexistent")', CONTENT, []),
        ('content.contains("@#$%")', SPECIAL, ["Special chars: @#$%^&*()"]),
        ('content.contains("你好")', SPECIAL, ["Unicode test: 你好世界 🌍"]),
        ('content.contains("привет")', SPECIAL, ["Привет Мир"]),
        ('content.contains("MixedCase")', SPECIAL, ["MixedCase Content"]),
        ('content.contains("mixedcase")', SPECIAL, ["MixedCase Content"]),
        ('content.contains("nonexistent12345")', CONTENT, []),
    ],
)
def test_content_contains_is_a_case_insensitive_substring(
    filter_text: str, memos: list[dict[str, object]], expected: list[str]
) -> None:
    # When the memos are filtered / Then exactly the expected ones match
    assert memos_matching(filter_text, memos) == expected


@pytest.mark.parametrize(
    ("filter_text", "memos", "expected"),
    [
        ('visibility == "PUBLIC"', VISIBILITIES, ["public"]),
        ('visibility == "PRIVATE"', VISIBILITIES, ["private"]),
        ('visibility != "PUBLIC"', VISIBILITIES[:2], ["private"]),
        ('visibility in ["PUBLIC", "PRIVATE"]', VISIBILITIES, ["public", "private"]),
        ("pinned == true", PINNED, ["pinned"]),
        ("pinned == false", PINNED, ["unpinned"]),
        ("pinned", PINNED, ["pinned"]),
        ("!pinned", PINNED, ["unpinned"]),
        ("creator_id == 1", CREATORS, ["by u1"]),
        ("creator_id != 1", CREATORS, ["by u2"]),
    ],
)
def test_scalar_and_flag_fields(
    filter_text: str, memos: list[dict[str, object]], expected: list[str]
) -> None:
    assert memos_matching(filter_text, memos) == expected


@pytest.mark.parametrize(
    ("filter_text", "memos", "expected"),
    [
        ('tag in ["work"]', TAGGED, ["work"]),
        ('tag in ["work", "personal"]', TAGGED, ["work", "personal"]),
        ('"project" in tags', PROJECTS, ["project"]),
        ('"nonexistent" in tags', PROJECTS, []),
        ('tag in ["book"]', BOOKS, ["book", "fiction"]),
        ('tag in ["anything"]', [memo("empty", tags=[])], []),
        ('tag in ["test_tag"]', [memo("tagged", tags=["test_tag"]), memo("plain")], ["tagged"]),
    ],
)
def test_tag_membership(
    filter_text: str, memos: list[dict[str, object]], expected: list[str]
) -> None:
    assert memos_matching(filter_text, memos) == expected


def test_boolean_properties_match_only_memos_that_have_them() -> None:
    # Given memos with one property each, and plain ones
    tasks = [memo("tasks", has_task_list=True), memo("plain")]
    links = [memo("link", has_link=True), memo("plain")]
    code = [memo("code", has_code=True), memo("plain")]
    open_tasks = [
        memo("open", has_task_list=True, has_incomplete_tasks=True),
        memo("done", has_task_list=True, has_incomplete_tasks=False),
    ]
    # When / Then
    assert memos_matching("has_task_list", tasks) == ["tasks"]
    assert memos_matching("has_task_list == true", tasks) == ["tasks"]
    assert memos_matching("has_link", links) == ["link"]
    assert memos_matching("has_code", code) == ["code"]
    assert memos_matching("has_incomplete_tasks", open_tasks) == ["open"]


def test_combined_boolean_properties() -> None:
    # Given a memo with every property and one with only a link
    memos = [
        memo("all", has_link=True, has_code=True, has_task_list=True, has_incomplete_tasks=True),
        memo("link only", has_link=True),
    ]
    # When / Then
    assert memos_matching("has_link && has_code", memos) == ["all"]
    assert memos_matching("has_task_list && has_incomplete_tasks", memos) == ["all"]
    assert memos_matching("has_link || has_code", memos) == ["all", "link only"]


def test_task_and_link_logic() -> None:
    # Given task-only, link-only, both and neither
    memos = [
        memo("task", has_task_list=True),
        memo("link", has_link=True),
        memo("both", has_task_list=True, has_link=True),
        memo("neither"),
    ]
    # When / Then
    assert memos_matching("has_task_list || has_link", memos) == ["task", "link", "both"]
    assert memos_matching("!has_task_list", memos) == ["link", "neither"]
    assert memos_matching("has_task_list && !has_link", memos) == ["task"]


def test_a_memo_without_payload_has_no_properties_and_no_tags() -> None:
    # Given a memo record that lacks every derived value
    bare = {"content": "bare", "creator_id": 1, "created_ts": NOW, "updated_ts": NOW}
    bare |= {"pinned": False, "visibility": "PUBLIC"}
    # When / Then: positive tests fail, negations match (missing = false / empty list)
    assert memos_matching("has_link", [bare]) == []
    assert memos_matching("has_task_list == false", [bare]) == ["bare"]
    assert memos_matching("has_task_list != true", [bare]) == ["bare"]
    assert memos_matching('tag in ["x"]', [bare]) == []
    assert memos_matching('!(tag in ["x"])', [bare]) == ["bare"]
    assert memos_matching('!("x" in tags)', [bare]) == ["bare"]
    assert memos_matching("size(tags) == 0", [bare]) == ["bare"]
    assert memos_matching('!tags.exists(t, t.startsWith("a"))', [bare]) == ["bare"]


@pytest.mark.parametrize(
    ("filter_text", "matches"),
    [
        (f"created_ts < {NOW + 3600}", True),
        (f"created_ts > {NOW - 3600}", True),
        (f"created_ts > {NOW + 3600}", False),
        ("created_ts < now() + 5", True),
        ("created_ts > now() + 5", False),
        ("created_ts >= now() - 3600", True),
        ("created_ts < now() - 86400", False),
        ("created_ts >= now() - 60 * 60", True),
        ("created_ts >= now() - 60", True),
        ("created_ts > now() - 3600", True),
        ("updated_ts >= now() - 60", True),
        ("updated_ts > now() + 3600", False),
    ],
)
def test_timestamps_compare_with_now_arithmetic(filter_text: str, matches: bool) -> None:
    # Given a memo created and updated just now
    memos = [memo("recent")]
    # When / Then
    assert memos_matching(filter_text, memos, now=NOW) == (["recent"] if matches else [])


def test_logical_operators() -> None:
    # Given
    pinned = [memo("pinned", pinned=True), memo("unpinned")]
    # When / Then
    assert memos_matching('pinned && visibility == "PUBLIC"', pinned) == ["pinned"]
    assert memos_matching('visibility == "PUBLIC" || visibility == "PRIVATE"', VISIBILITIES) == [
        "public",
        "private",
    ]
    assert memos_matching('!(visibility == "PUBLIC")', VISIBILITIES[:2]) == ["private"]


def test_complex_grouping() -> None:
    # Given pinned+important, unpinned+important, pinned untagged
    memos = [
        memo("pinned important", pinned=True, tags=["important"]),
        memo("important", tags=["important"]),
        memo("pinned", pinned=True),
    ]
    # When / Then
    assert memos_matching('pinned && tag in ["important"]', memos) == ["pinned important"]
    grouped = '(pinned || tag in ["important"]) && visibility == "PUBLIC"'
    assert len(memos_matching(grouped, memos)) == 3
    # And after adding a plain memo, only the unpinned ones without tasks match the negation
    memos.append(memo("plain"))
    assert memos_matching("!(pinned || has_task_list)", memos) == ["important", "plain"]


ARCHIVE = [
    memo("a", tags=["archive/project", "done"]),
    memo("b", tags=["archive/work", "old"]),
    memo("c", tags=["project/active", "todo"]),
    memo("d", tags=["homelab/memos", "tech"]),
]
TODOS = [
    memo("a", tags=["project/todo", "urgent"]),
    memo("b", tags=["work/todo-list", "pending"]),
    memo("c", tags=["project/completed", "done"]),
]
BUGS = [
    memo("a", tags=["project/bug", "critical"]),
    memo("b", tags=["work/debug", "dev"]),
    memo("c", tags=["project/feature", "new"]),
]


@pytest.mark.parametrize(
    ("filter_text", "memos", "count"),
    [
        ('tags.exists(t, t.startsWith("archive"))', ARCHIVE, 2),
        ('!tags.exists(t, t.startsWith("archive"))', ARCHIVE, 2),
        ('tags.exists(t, t.startsWith("project"))', ARCHIVE, 1),
        ('tags.exists(t, t.startsWith("homelab"))', ARCHIVE, 1),
        ('tags.exists(t, t.startsWith("nonexistent"))', ARCHIVE, 0),
        ('tags.exists(t, t.contains("todo"))', TODOS, 2),
        ('tags.exists(t, t.contains("done"))', TODOS, 1),
        ('!tags.exists(t, t.contains("todo"))', TODOS, 1),
        ('tags.exists(t, t.endsWith("bug"))', BUGS, 2),
        ('tags.exists(t, t.endsWith("feature"))', BUGS, 1),
        ('!tags.exists(t, t.endsWith("bug"))', BUGS, 1),
    ],
)
def test_tags_exists(filter_text: str, memos: list[dict[str, object]], count: int) -> None:
    assert len(memos_matching(filter_text, memos)) == count


def test_tags_exists_combined_with_content() -> None:
    # Given
    memos = [
        memo("Old archived memo", tags=["archive/old", "done"]),
        memo("Recent archived memo with TODO", tags=["archive/recent", "done"]),
        memo("Active TODO", tags=["project/active", "todo"]),
    ]
    archived = 'tags.exists(t, t.startsWith("archive"))'
    # When / Then
    assert memos_matching(f'{archived} && content.contains("TODO")', memos) == [
        "Recent archived memo with TODO"
    ]
    either = f'{archived} || tags.exists(t, t.contains("todo"))'
    assert len(memos_matching(either, memos)) == 3
    assert memos_matching(f'{archived} && !content.contains("Recent")', memos) == [
        "Old archived memo"
    ]


def test_tags_exists_and_its_negation_over_an_untagged_memo() -> None:
    # Given
    memos = [memo("untagged"), memo("tagged", tags=["tag1", "tag2"])]
    # When / Then
    assert memos_matching('tags.exists(t, t.startsWith("tag"))', memos) == ["tagged"]
    assert memos_matching('!tags.exists(t, t.startsWith("tag"))', memos) == ["untagged"]


def test_archive_workflow() -> None:
    # Given
    memos = [
        memo("homelab", tags=["homelab/memos", "tech"]),
        memo("alpha", tags=["work/project-alpha", "active"]),
        memo("old server", tags=["archive/homelab/old-server", "done"]),
        memo("beta", tags=["archive/work/project-beta", "completed"]),
        memo("2024", tags=["archive/personal/2024", "old"]),
    ]
    # When / Then
    assert memos_matching('!tags.exists(t, t.startsWith("archive"))', memos) == [
        "homelab",
        "alpha",
    ]
    assert len(memos_matching('tags.exists(t, t.startsWith("archive"))', memos)) == 3
    assert memos_matching('tags.exists(t, t.startsWith("archive/homelab"))', memos) == [
        "old server"
    ]


def test_several_filters_are_anded() -> None:
    # Given
    memos = [memo("Hello world"), memo("Hello private", visibility="PRIVATE")]
    # When both filters apply
    matched = [
        content
        for content in memos_matching('content.contains("Hello")', memos)
        if content in memos_matching('visibility == "PUBLIC"', memos)
    ]
    # Then
    assert matched == ["Hello world"]
