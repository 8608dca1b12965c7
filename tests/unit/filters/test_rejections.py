"""Filters outside the language or its subset, and the messages they are rejected with."""

from __future__ import annotations

import sys

import pytest

from memos.errors import InvalidArgumentError
from memos.filters import compile_attachment_filter, compile_memo_filter, validate_memo_filter
from memos.filters.ir import Compare, Not
from memos.filters.parser import MAX_DEPTH, MAX_NESTING
from tests.unit.filters.records import NOW

PREFIX = "invalid filter: failed to compile filter: "
CEL_PREFIX = PREFIX + "failed to compile filter: ERROR: <input>:"


def rejection(filter_text: str) -> str:
    with pytest.raises(InvalidArgumentError) as raised:
        compile_memo_filter(filter_text, now=NOW)
    return raised.value.message


@pytest.mark.parametrize(
    ("filter_text", "detail"),
    [
        ("content", 'identifier "content" is not boolean'),
        ('tag == "work"', 'field "tag" does not support comparison'),
        ('tags == ["a"]', "unsupported value expression"),
        ("creator_id > 1", 'operator > not allowed for field "creator_id"'),
        ('visibility < "Z"', 'operator < not allowed for field "visibility"'),
        ("has_link > false", 'operator > not allowed for field "has_link"'),
        ("100 < created_ts", "comparison must start with a field reference or supported function"),
        ("pinned && 1", "comparison must start with a field reference or supported function"),
        ("created_ts > updated_ts", "expression must be a literal"),
        ('content.startsWith("a")', 'unsupported call expression "startsWith"'),
        ('content.matches("a")', 'unsupported call expression "matches"'),
        ('visibility.contains("P")', 'identifier "visibility" does not support contains()'),
        ("content.contains(visibility)", "contains only supports literal arguments"),
        (
            'tags.all(t, t.startsWith("a"))',
            "all() comprehension is not supported; use exists() instead",
        ),
        ('tags.exists(t, t == "a")', 'unsupported predicate function "_==_" in comprehension'),
        ('tags.exists(t, t.startsWith("a") || t.endsWith("b"))', "unsupported predicate function"),
        ("tags.exists(t, true)", "comprehension predicate must be a function call"),
        ('tags.exists(t, content.startsWith("a"))', 'target must be the iteration variable "t"'),
        ("created_ts in [1, 2]", 'field "created_ts" does not support IN() comparisons'),
        ("pinned in [true]", 'field "pinned" does not support IN()'),
        ("size(tag) > 0", 'size() only supports tag lists, got "tag"'),
        ("tags.size() > 0", "size() expects one argument"),
        ("null", "filter must evaluate to a boolean value"),
        ('"text"', "filter must evaluate to a boolean value"),
        ("-created_ts < 0", "unsupported value expression"),
        ("pinned ? true : false", 'unsupported call expression "_?_:_"'),
        ("created_ts > now() * 9223372036854775807", "integer overflow in constant expression"),
    ],
)
def test_engine_rejections_name_the_problem(filter_text: str, detail: str) -> None:
    message = rejection(filter_text)
    assert message.startswith(PREFIX)
    assert detail in message
    assert not message.startswith(PREFIX + "failed to compile filter: ")


@pytest.mark.parametrize(
    ("filter_text", "position", "problem"),
    [
        ("foo == 1", "1:1", "undeclared reference to 'foo' (in container '')"),
        ("tag in work", "1:8", "undeclared reference to 'work'"),
        ("tag in ", "1:8", "Syntax error: mismatched input '<EOF>'"),
        ("a &&", "1:5", "Syntax error: mismatched input '<EOF>'"),
        ('((tag in ["x"]', "1:15", "Syntax error: missing ')' at '<EOF>'"),
        ("x && )", "1:6", "Syntax error: mismatched input ')'"),
        ("invalid||filter))syntax", "1:16", "Syntax error: extraneous input ')'"),
        ('invalid_field @in ["value"]', "1:15", "Syntax error: token recognition error at: '@'"),
        ('tag in ["work"] || || tag in ["test"]', "1:20", "Syntax error: mismatched input '||'"),
        (
            'creator_id == "1"',
            "1:12",
            "found no matching overload for '_==_' applied to '(int, string)'",
        ),
        (
            "visibility == 1",
            "1:12",
            "found no matching overload for '_==_' applied to '(string, int)'",
        ),
        ("pinned == 1", "1:8", "found no matching overload for '_==_' applied to '(bool, int)'"),
        ("created_ts > 1.5", "1:12", "applied to '(int, double)'"),
        ("creator_id == 1u", "1:12", "applied to '(int, uint)'"),
        (
            'created_ts > timestamp("2024-01-01T00:00:00Z")',
            "1:12",
            "applied to '(int, google.protobuf.Timestamp)'",
        ),
        ("tags.exists(t, t.startsWith(1))", "1:18", "'startsWith' applied to 'string.(int)'"),
        ("pinned &&\n  foo", "2:3", "undeclared reference to 'foo'"),
        ('content.contains("\\q")', "1:19", "Syntax error: invalid escape sequence '\\q'"),
        ('content.contains("abc)', "1:18", "Syntax error: unterminated string literal"),
        ('content.contains("\\xff")', "1:18", "Syntax error: string literal is not valid UTF-8"),
        ('content.contains("\\ud800")', "1:19", "invalid unicode code point"),
        ("creator_id == 9223372036854775808", "1:15", "Syntax error: invalid int literal"),
        ("if == 1", "1:1", "Syntax error: reserved identifier: if"),
        ("tags.exists(1, true)", "1:13", "argument must be a simple name"),
    ],
)
def test_syntax_and_type_errors_are_cel_diagnostics_with_a_position(
    filter_text: str, position: str, problem: str
) -> None:
    message = rejection(filter_text)
    assert message.startswith(f"{CEL_PREFIX}{position}: ")
    assert problem in message


def test_a_cel_diagnostic_shows_the_line_and_a_caret_under_the_column() -> None:
    assert rejection("foo == 1") == (
        "invalid filter: failed to compile filter: failed to compile filter: "
        "ERROR: <input>:1:1: undeclared reference to 'foo' (in container '')\n"
        " | foo == 1\n"
        " | ^"
    )


def test_every_type_error_is_reported() -> None:
    message = rejection("foo && bar")
    assert "1:1: undeclared reference to 'foo'" in message
    assert "1:8: undeclared reference to 'bar'" in message


@pytest.mark.parametrize("filter_text", [" ", "\t\n", "  \n  "])
def test_whitespace_only_is_not_an_empty_filter(filter_text: str) -> None:
    assert rejection(filter_text) == PREFIX + "filter expression is empty"


def test_an_empty_filter_matches_everything_in_lists() -> None:
    assert compile_memo_filter("", now=NOW) == compile_attachment_filter("", now=NOW)


def test_a_shortcut_filter_may_not_be_empty() -> None:
    with pytest.raises(InvalidArgumentError) as raised:
        validate_memo_filter("")
    assert raised.value.message == "invalid filter: filter cannot be empty"


@pytest.mark.parametrize(
    "filter_text",
    [
        'tag in ["work"]',
        'content.contains("meeting")',
        'tag in ["work"] && content.contains("meeting")',
        'tag in ["work"] || tag in ["personal"]',
        "creator_id == 1",
        'visibility == "PUBLIC"',
        "has_task_list == true",
        "has_task_list == false",
    ],
)
def test_shortcut_filters_memos_accepts(filter_text: str) -> None:
    validate_memo_filter(filter_text)


@pytest.mark.parametrize(
    "filter_text",
    [
        "tag in ",
        'invalid_field @in ["value"]',
        'tag in ["work"] &&',
        'tag in ["work"] || || tag in ["test"]',
        '((tag in ["work"]',
        'tag in ["work"] && )',
        'tag == "work"',
        "tag in work",
        "invalid||filter))syntax",
    ],
)
def test_shortcut_filters_memos_rejects(filter_text: str) -> None:
    with pytest.raises(InvalidArgumentError, match=r"^invalid filter: failed to compile filter: "):
        validate_memo_filter(filter_text)


@pytest.mark.parametrize(
    ("filter_text", "detail"),
    [
        ("memo_id > 1", 'operator > not allowed for field "memo_id"'),
        ('mime_type.contains("png")', 'identifier "mime_type" does not support contains()'),
        ('memo_id == "1"', 'field "memo_id" expects integer value: cannot convert string to int64'),
        ("memo_id in [null]", "cannot convert null to int64"),
        ("content == 1", "undeclared reference to 'content'"),
        ("memo_id", 'identifier "memo_id" is not boolean'),
        ("memo_id < null", "found no matching overload for '_<_' applied to '(dyn, null_type)'"),
    ],
)
def test_attachment_rejections(filter_text: str, detail: str) -> None:
    with pytest.raises(InvalidArgumentError) as raised:
        compile_attachment_filter(filter_text, now=NOW)
    assert raised.value.message.startswith(PREFIX)
    assert detail in raised.value.message


@pytest.mark.parametrize(
    "filter_text",
    [
        "(" * 60 + "pinned" + ")" * 60,
        "!(" * 60 + "pinned" + ")" * 60,
        "1 + " * 200 + "1 == 2",
        "content" + ".x" * 200,
        "[" * 100 + "]" * 100,
    ],
)
def test_deeply_nested_filters_are_rejected_without_exhausting_the_stack(filter_text: str) -> None:
    assert "nested more than" in rejection(filter_text)


def _stack_depth() -> int:
    frames, frame = 0, sys._getframe()
    while frame.f_back is not None:
        frames, frame = frames + 1, frame.f_back
    return frames


def test_the_deepest_filters_allowed_need_under_400_stack_frames() -> None:
    # Given only 400 frames of stack left
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(_stack_depth() + 400)
    try:
        # When the deepest nesting and the deepest tree allowed compile
        negations = compile_memo_filter(
            "!(" * (MAX_NESTING - 1) + "pinned" + ")" * (MAX_NESTING - 1), now=NOW
        )
        sums = compile_memo_filter("created_ts > " + "1 + " * (MAX_DEPTH - 3) + "1", now=NOW)
        with pytest.raises(InvalidArgumentError, match="unsupported value expression"):
            compile_memo_filter(
                "[" * (MAX_NESTING - 1) + "]" * (MAX_NESTING - 1) + " == []", now=NOW
            )
    finally:
        sys.setrecursionlimit(limit)
    # Then they give their trees, and Python's stack was never exhausted
    assert negations == Not(Compare("pinned", "==", True))
    assert sums == Compare("created_ts", ">", MAX_DEPTH - 2)


def test_a_long_flat_filter_is_fine() -> None:
    # Given a thousand conditions joined by && (balanced internally, so not deep)
    filter_text = " && ".join(f"creator_id != {n}" for n in range(1000))
    # When / Then
    assert len(compile_memo_filter(filter_text, now=NOW).items) == 1000  # type: ignore[union-attr]


def test_text_that_is_not_unicode_is_rejected() -> None:
    assert rejection("pinned && '\ud800'") == PREFIX + "filter expression is not valid UTF-8"


def test_an_oversized_filter_is_rejected() -> None:
    assert "code point size exceeds limit" in rejection("pinned" + " " * 100_000)
