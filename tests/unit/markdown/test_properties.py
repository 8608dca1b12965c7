"""has_link, has_code, has_task_list and has_incomplete_tasks (memos.md §6.2 and §14)."""

from __future__ import annotations

import pytest

from memos.markdown import DerivedContent, derive_content


def _properties(derived: DerivedContent) -> dict[str, bool]:
    return {
        "link": derived.has_link,
        "code": derived.has_code,
        "task_list": derived.has_task_list,
        "incomplete_tasks": derived.has_incomplete_tasks,
    }


NONE = {"link": False, "code": False, "task_list": False, "incomplete_tasks": False}
LINK = {**NONE, "link": True}
CODE = {**NONE, "code": True}
DONE_TASKS = {**NONE, "task_list": True}
OPEN_TASKS = {**NONE, "task_list": True, "incomplete_tasks": True}
ALL = {"link": True, "code": True, "task_list": True, "incomplete_tasks": True}


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("Just plain text without anything special.", NONE),
        ("Check out [this link](https://example.com)", LINK),
        ("Use `console.log()` to debug", CODE),
        ("```go\nfunc main() {}\n```", CODE),
        ("- [x] Completed", DONE_TASKS),
        ("- [ ] Todo", OPEN_TASKS),
        ("- [x] Done\n- [ ] Not done", OPEN_TASKS),
        ("# Title\n\n[Link](https://example.com)\n\n`code`\n\n- [ ] Task", ALL),
    ],
)
def test_properties_match_memos(content: str, expected: dict[str, bool]) -> None:
    # Given memo content from Memos' markdown tests
    # When it is derived
    derived = derive_content(content)
    # Then its properties are Memos' properties
    assert _properties(derived) == expected


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("[text][ref]\n\n[ref]: https://example.com", LINK),
        ("[ref]\n\n[ref]: https://example.com", LINK),
        ("[text][missing]", NONE),
        ("[![alt](pic.png)](https://example.com)", LINK),
        ("Visit https://example.com today", NONE),
        ("Visit www.example.com today", NONE),
        ("Mail me@example.com", NONE),
        ("<https://example.com>", NONE),
        ("![an image](https://example.com/pic.png)", NONE),
        ('<a href="https://example.com">raw html</a>', NONE),
    ],
)
def test_only_link_nodes_count_as_links(content: str, expected: dict[str, bool]) -> None:
    # Given inline and reference links, and things that are not link nodes: bare URLs,
    # autolinks, images and raw HTML
    # When derived
    derived = derive_content(content)
    # Then only the link nodes set has_link
    assert _properties(derived) == expected


@pytest.mark.parametrize(
    "content",
    ["`inline`", "```\nfenced\n```", "~~~\ntilde fence\n~~~", "    indented code", "> `quoted`"],
)
def test_code_spans_and_code_blocks_count_as_code(content: str) -> None:
    # Given a code span, a fenced block or an indented block
    # When derived
    derived = derive_content(content)
    # Then has_code is set
    assert derived.has_code


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("* [ ] star bullet", OPEN_TASKS),
        ("+ [X] capital x", DONE_TASKS),
        ("1. [ ] ordered", OPEN_TASKS),
        ("- [ ]", OPEN_TASKS),
        ("- [x]no space", DONE_TASKS),
        ("- [x] parent\n  - [ ] nested child", OPEN_TASKS),
        ("> - [ ] quoted task", OPEN_TASKS),
        ("- [ ] with #tag and `code`", {**OPEN_TASKS, "code": True}),
    ],
)
def test_task_checkboxes_in_list_items(content: str, expected: dict[str, bool]) -> None:
    # Given a checkbox at the start of a list item, in any list kind or nesting
    # When derived
    derived = derive_content(content)
    # Then it is a task, incomplete when unchecked
    assert _properties(derived) == expected


@pytest.mark.parametrize(
    "content",
    [
        "[ ] not in a list",
        "- item [ ] later",
        "- [y] other letter",
        "- [] empty",
        "- text\n\n  [ ] later",
    ],
)
def test_brackets_elsewhere_are_no_task(content: str) -> None:
    # Given brackets outside a list item's first paragraph start, or not a checkbox
    # When derived
    derived = derive_content(content)
    # Then there is no task list
    assert not derived.has_task_list
    assert not derived.has_incomplete_tasks
