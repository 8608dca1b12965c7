"""CEL syntax as the filter language reads it: precedence, literals, escapes, comments."""

from __future__ import annotations

import pytest

from memos.errors import InvalidArgumentError
from memos.filters import compile_memo_filter
from memos.filters.ir import And, Compare, Const, Contains, InList, Node, Not, Or
from tests.unit.filters.records import NOW

PINNED = Compare("pinned", "==", True)
LINK = Compare("has_link", "==", True)
CODE = Compare("has_code", "==", True)


def compiled(filter_text: str) -> Node:
    return compile_memo_filter(filter_text, now=NOW)


def test_and_binds_tighter_than_or() -> None:
    assert compiled("pinned && has_link || has_code") == Or((And((PINNED, LINK)), CODE))
    assert compiled("has_code || pinned && has_link") == Or((CODE, And((PINNED, LINK))))


def test_parentheses_override_precedence() -> None:
    assert compiled("pinned && (has_link || has_code)") == And((PINNED, Or((LINK, CODE))))


def test_not_binds_tighter_than_comparison_and_double_negation_cancels() -> None:
    assert compiled("!pinned && has_link") == And((Not(PINNED), LINK))
    assert compiled("!!pinned") == PINNED
    assert compiled("!!!pinned") == Not(PINNED)


def test_a_negated_field_is_not_a_comparison_operand() -> None:
    # "!pinned == true" reads "(!pinned) == true", and a comparison must start with a field
    with pytest.raises(InvalidArgumentError, match="unsupported value expression"):
        compiled("!pinned == true")


def test_negating_a_non_boolean_is_a_type_error() -> None:
    with pytest.raises(InvalidArgumentError, match=r"'!_' applied to '\(int\)'"):
        compiled("!creator_id")


@pytest.mark.parametrize(
    ("literal", "needle"),
    [
        (r'"a\"b"', 'a"b'),
        (r"'a\'b'", "a'b"),
        (r'"tab\there"', "tab\there"),
        (r'"\a\b\f\n\r\v\\\?\`"', "\a\b\f\n\r\v\\?`"),
        (r'"\u00e9t\u00E9"', "été"),
        (r'"\U0001F30D"', "🌍"),
        (r'"\xc3\xa9"', "é"),
        (r'"\303\251"', "é"),
        (r'"\101"', "A"),
        (r'r"C:\dir\n"', r"C:\dir\n"),
        (r"R'\d+'", r"\d+"),
        ('"""say "hi" """', 'say "hi" '),
        ("'''multi\nline'''", "multi\nline"),
        ("'single'", "single"),
        ('"😀 ok"', "😀 ok"),
    ],
)
def test_string_literals_and_escapes(literal: str, needle: str) -> None:
    assert compiled(f"content.contains({literal})") == Contains("content", needle)


@pytest.mark.parametrize(
    "literal",
    [r'"\q"', r'"\x4"', r'"\u12"', r'"\400"', r'"\8"', '"line\nbreak"', r'"\U00110000"'],
)
def test_invalid_string_literals_are_syntax_errors(literal: str) -> None:
    with pytest.raises(InvalidArgumentError, match="Syntax error"):
        compiled(f"content.contains({literal})")


def test_a_bytes_literal_is_not_a_string() -> None:
    with pytest.raises(InvalidArgumentError, match=r"applied to 'string.\(bytes\)'"):
        compiled('content.contains(b"abc")')


@pytest.mark.parametrize(
    ("filter_text", "expected"),
    [
        ("creator_id == 0x10", Compare("creator_id", "==", 16)),
        ("creator_id == 007", Compare("creator_id", "==", 7)),
        ("creator_id == -5", Compare("creator_id", "==", -5)),
        ("creator_id == - 5", Compare("creator_id", "==", -5)),
        ("created_ts > now()", Compare("created_ts", ">", NOW)),
        ("created_ts > now() - 2 * 3600 + 10", Compare("created_ts", ">", NOW - 7190)),
        ("created_ts > (now() - 60) * 2", Compare("created_ts", ">", (NOW - 60) * 2)),
        ("creator_id in [1, 2, ]", InList("creator_id", (1, 2))),
        ("creator_id in [1, 1, 2]", InList("creator_id", (1, 2))),
        ("pinned == !false", Compare("pinned", "==", True)),
        ("pinned != false", Compare("pinned", "==", True)),
        ("has_link != true", Compare("has_link", "==", False)),
        ("pinned // a comment\n && has_link", And((PINNED, LINK))),
        ("\tpinned\r\n", PINNED),
    ],
)
def test_literals_and_constant_folding(filter_text: str, expected: object) -> None:
    assert compiled(filter_text) == expected


@pytest.mark.parametrize(
    ("filter_text", "value"),
    [
        ("true", True),
        ("false", False),
        ("1", True),
        ("0", False),
        ("1u", True),
        ("0u", False),
        ("1.5", True),
        ("0.0", False),
        ("!false", True),
        ("!true", False),
        ("(true)", True),
        ("true && false", False),
        ("false || true", True),
    ],
)
def test_whole_expression_constants(filter_text: str, value: bool) -> None:
    assert compiled(filter_text) == Const(value)


@pytest.mark.parametrize(
    ("filter_text", "problem"),
    [
        ("created_ts > 1e3", "applied to '(int, double)'"),
        ("created_ts > 2u", "applied to '(int, uint)'"),
        ("created_ts > now() / 2", "unsupported value expression"),
        ("created_ts > now() % 2", "unsupported value expression"),
        ("created_ts > -now()", "unsupported value expression"),
        ("created_ts > now() - 1.5", "applied to '(int, double)'"),
        ('content == "a" + "b"', "unsupported value expression"),
        ("created_ts > 1 ? 2 : 3", 'unsupported call expression "_?_:_"'),
        ("pinned ? 1 : 'a'", "applied to '(bool, int, string)'"),
        ("{'a': 1}", "unsupported top-level expression"),
        ("has(content.x)", "does not support field selection"),
        ("Memo{content: 'x'}", "undeclared reference to 'Memo'"),
        ("pinned == true == true", "unsupported value expression"),
        ("[pinned][0]", 'unsupported call expression "_[_]"'),
    ],
)
def test_cel_forms_outside_the_subset_are_rejected(filter_text: str, problem: str) -> None:
    with pytest.raises(InvalidArgumentError) as raised:
        compiled(filter_text)
    assert problem in raised.value.message


def test_a_number_after_a_logical_operator_is_rewritten_like_memos_does() -> None:
    # Given "x && 1", which Memos rewrites to "x && (1 != 0)" before parsing
    with pytest.raises(InvalidArgumentError) as raised:
        compiled('pinned || "a && 1" == content && 2')
    # Then the number outside the string is the one reported, not the one inside it
    assert "comparison must start with a field reference" in raised.value.message
