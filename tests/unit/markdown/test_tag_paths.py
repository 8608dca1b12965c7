"""Tag paths: each tag with its ancestors, the keys of hierarchical tag filters."""

from __future__ import annotations

import pytest

from memos.markdown import tag_paths


@pytest.mark.parametrize(
    ("tags", "paths"),
    [
        ([], ()),
        (["work"], ("work",)),
        (["a/b/c"], ("a", "a/b", "a/b/c")),
        (["a/b", "a", "c/d", "a/b"], ("a", "a/b", "c", "c/d")),
        (["Book", "book/fiction"], ("Book", "book", "book/fiction")),
        (["work/测试/项目"], ("work", "work/测试", "work/测试/项目")),
    ],
)
def test_every_tag_brings_its_ancestors_in_order(tags: list[str], paths: tuple[str, ...]) -> None:
    # Given tags as derived from a memo
    # When their paths are listed
    found = tag_paths(tags)
    # Then each ancestor comes before its tag, every path once, case kept
    assert found == paths


@pytest.mark.parametrize(
    ("tag", "paths"),
    [
        ("/lead", ("/lead",)),
        ("trail/", ("trail", "trail/")),
        ("a//b", ("a", "a/", "a//b")),
    ],
)
def test_odd_slashes_give_exactly_the_prefixes_a_filter_matches(
    tag: str, paths: tuple[str, ...]
) -> None:
    # Given a tag with leading, trailing or doubled slashes
    # When its paths are listed
    found = tag_paths([tag])
    # Then they are the entries "tag == x or tag starts with x + '/'" matches, minus the empty one
    assert found == paths


def test_paths_accept_any_iterable() -> None:
    # Given tags from a generator
    # When their paths are listed
    found = tag_paths(tag for tag in ("x/y",))
    # Then the result is a tuple
    assert found == ("x", "x/y")
