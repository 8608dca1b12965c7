"""Which conditions become a DynamoDB FilterExpression, and how they are written."""

from __future__ import annotations

from typing import TYPE_CHECKING

from memos.filters import compile_memo_filter
from memos.filters.dynamo import split_for_dynamodb
from memos.filters.ir import Contains, Not, Or, TagsExists
from tests.unit.filters.records import NOW

if TYPE_CHECKING:
    from memos.filters.ir import Node
    from memos.store.table import Expression

ATTRIBUTES = {
    name: name
    for name in (
        "content", "creator_id", "created_ts", "updated_ts", "pinned", "visibility", "tags",
        "has_link", "has_task_list", "has_code", "has_incomplete_tasks",
    )
} | {"tag": "tag_paths"}  # fmt: skip


def split(filter_text: str) -> tuple[Expression | None, Node | None]:
    return split_for_dynamodb(compile_memo_filter(filter_text, now=NOW), ATTRIBUTES)


def translated(filter_text: str) -> Expression:
    expression, _ = split(filter_text)
    assert expression is not None
    return expression


def test_everything_true_needs_no_expression_and_no_residual() -> None:
    assert split("true") == (None, None)


def test_a_comparison_becomes_a_placeholder_expression() -> None:
    # When
    expression, residual = split("creator_id == 1")
    # Then
    assert residual is None
    assert expression is not None
    assert expression.text == "#f0 = :f0"
    assert expression.names == {"#f0": "creator_id"}
    assert expression.values == {":f0": 1}


def test_tags_translate_to_list_functions() -> None:
    expression, residual = split('tag in ["a", "b"] && "x" in tags && size(tags) > 1')
    assert residual is None
    assert expression is not None
    assert expression.text == (
        "(contains(#f0, :f0) OR contains(#f0, :f1)) AND (contains(#f1, :f2)) "
        "AND (attribute_exists(#f1) AND size(#f1) > :f3)"
    )
    assert expression.names == {"#f0": "tag_paths", "#f1": "tags"}


def test_the_tag_paths_attribute_may_be_named_under_tag_paths() -> None:
    # Given a mapping that names the paths attribute under "tag_paths" instead of "tag"
    node = compile_memo_filter('tag in ["a"]', now=NOW)
    # When
    expression, residual = split_for_dynamodb(node, {"tag_paths": "paths"})
    # Then
    assert residual is None
    assert expression is not None
    assert expression.names == {"#f0": "paths"}


def test_a_tag_count_that_zero_satisfies_also_matches_a_missing_list() -> None:
    expression = translated("size(tags) == 0")
    assert expression.text == "attribute_not_exists(#f0) OR size(#f0) = :f0"


def test_inequality_and_false_flags_are_written_as_negations() -> None:
    expression = translated('visibility != "PUBLIC" && !pinned && has_link == false')
    assert expression.text == ("(NOT (#f0 = :f0)) AND (NOT (#f1 = :f1)) AND (NOT (#f2 = :f2))")
    assert expression.values == {":f0": "PUBLIC", ":f1": True, ":f2": True}


def test_case_insensitive_search_and_tag_patterns_stay_in_python() -> None:
    # When
    expression, residual = split(
        'creator_id == 1 && content.contains("Hi") && tags.exists(t, t.startsWith("a"))'
    )
    # Then
    assert expression is not None
    assert expression.text == "#f0 = :f0"
    assert residual == compile_memo_filter(
        'content.contains("Hi") && tags.exists(t, t.startsWith("a"))', now=NOW
    )


def test_or_and_not_translate_only_when_every_part_does() -> None:
    expression, residual = split('pinned || content.contains("x")')
    assert expression is None
    assert residual is not None
    expression, residual = split('!content.contains("x") && !(pinned || has_link)')
    assert expression is not None
    assert expression.text == "NOT ((#f0 = :f0) OR (#f1 = :f1))"
    assert residual == Not(Contains("content", "x"))


def test_fields_without_an_attribute_stay_in_python() -> None:
    # Given a mapping that knows only creator_id
    node = compile_memo_filter('creator_id == 1 && visibility == "PUBLIC"', now=NOW)
    # When
    expression, residual = split_for_dynamodb(node, {"creator_id": "owner"})
    # Then
    assert expression is not None
    assert expression.text == "#f0 = :f0"
    assert expression.names == {"#f0": "owner"}
    assert residual == compile_memo_filter('visibility == "PUBLIC"', now=NOW)


def test_placeholders_of_a_clause_left_out_are_dropped() -> None:
    # Given a conjunct that starts translatable and fails in its last branch
    expression, residual = split('(pinned || tags.exists(t, t.contains("a"))) && has_code')
    # Then the expression uses and declares only its own placeholders
    assert expression is not None
    assert expression.text == "#f0 = :f0"
    assert expression.names == {"#f0": "has_code"}
    assert expression.values == {":f0": True}
    assert isinstance(residual, Or)
    assert TagsExists("contains", "a") in residual.items


def test_long_in_lists_are_split_into_lists_of_a_hundred() -> None:
    values = ", ".join(str(n) for n in range(150))
    expression = translated(f"creator_id in [{values}]")
    assert expression.text.count(" IN (") == 2
    assert len(expression.values) == 150


def test_an_expression_past_the_size_budget_leaves_the_rest_to_python() -> None:
    filter_text = " && ".join(f'visibility != "{"V" * 40}{n}"' for n in range(200))
    expression, residual = split(filter_text)
    assert expression is not None
    assert len(expression.text) <= 3000
    assert residual is not None


def test_an_empty_tag_entry_stays_in_python() -> None:
    # Given "" (which matches tags starting with "/"), a value tag paths never hold
    expression, residual = split('tag in ["a", ""]')
    # Then
    assert expression is None
    assert residual == compile_memo_filter('tag in ["a", ""]', now=NOW)
