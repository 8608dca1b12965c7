"""The normalised condition tree: folding, flattening, conjuncts and evaluation rules."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import memos.filters
from memos.filters import compile_attachment_filter, compile_memo_filter, conjuncts, evaluate
from memos.filters.ir import (
    And,
    Compare,
    Const,
    Contains,
    InList,
    Node,
    Not,
    Or,
    TagIn,
    TagsExists,
    TagsHas,
    TagsSize,
)
from tests.unit.filters.records import NOW, attachment, memo

PINNED = Compare("pinned", "==", True)
LINK = Compare("has_link", "==", True)


def compiled(filter_text: str) -> Node:
    return compile_memo_filter(filter_text, now=NOW)


def test_constants_fold_away() -> None:
    assert compiled("pinned && true") == PINNED
    assert compiled("true && pinned") == PINNED
    assert compiled("pinned || true") == Const(True)
    assert compiled("pinned && false") == Const(False)
    assert compiled("pinned || false") == PINNED
    assert compiled("!(pinned || true)") == Const(False)
    assert compiled('content.contains("") && pinned') == PINNED


def test_nested_and_or_are_flattened_and_deduplicated() -> None:
    assert compiled("(pinned && has_link) && (has_code && pinned)") == And(
        (PINNED, LINK, Compare("has_code", "==", True))
    )
    assert compiled("pinned || (has_link || pinned)") == Or((PINNED, LINK))


def test_conjuncts_are_the_top_level_and_items() -> None:
    assert conjuncts(compiled("creator_id == 1 && (pinned || has_link)")) == (
        Compare("creator_id", "==", 1),
        Or((PINNED, LINK)),
    )
    assert conjuncts(compiled("pinned")) == (PINNED,)
    assert conjuncts(compiled("true")) == ()
    assert conjuncts(compiled("false")) == (Const(False),)


def test_every_node_kind_compiles_from_its_syntax() -> None:
    assert compiled('content.contains("x")') == Contains("content", "x")
    assert compiled('tag in ["a", "b/c"]') == TagIn(("a", "b/c"))
    assert compiled('"a" in tags') == TagsHas("a")
    assert compiled('tags.exists(x, x.endsWith("z"))') == TagsExists("endsWith", "z")
    assert compiled("size(tags) <= 2") == TagsSize("<=", 2)
    assert compiled('visibility in ["PUBLIC"]') == InList("visibility", ("PUBLIC",))
    assert compiled("!pinned") == Not(PINNED)
    assert compile_attachment_filter("memo_id == null", now=NOW) == Compare("memo_id", "==", None)


def test_content_ordering_is_exact_and_by_code_point() -> None:
    # Given
    node = compiled('content < "b"')
    # When / Then
    assert evaluate(node, memo("a"))
    assert evaluate(node, memo("B"))  # upper case sorts before lower case
    assert not evaluate(node, memo("b"))
    assert not evaluate(node, memo("é"))


def test_tags_size_counts_a_missing_list_as_empty() -> None:
    assert evaluate(compiled("size(tags) < 1"), {"content": "x"})
    assert not evaluate(compiled("size(tags) >= 1"), {"content": "x"})


def test_a_missing_scalar_equals_nothing_and_orders_nowhere() -> None:
    record = {"filename": "a.png"}
    assert not evaluate(compile_attachment_filter("memo_id == 1", now=NOW), record)
    assert evaluate(compile_attachment_filter("memo_id != 1", now=NOW), record)
    assert evaluate(compile_attachment_filter("memo_id == null", now=NOW), record)
    assert not evaluate(compile_attachment_filter("create_time > 0", now=NOW), record)


def test_unlinked_attachments_are_unequal_to_every_memo() -> None:
    node = compile_attachment_filter("memo_id != 7", now=NOW)
    assert evaluate(node, attachment("unlinked.png", memo_id=None))
    assert not evaluate(node, attachment("linked.png", memo_id=7))


def test_importing_the_package_loads_only_the_standard_library_and_records() -> None:
    # Given a fresh interpreter / When it imports memos.filters and compiles a filter
    code = (
        "import sys; RECORDS = {'msgspec', 'typing_extensions'}; before = set(sys.modules);"
        "import memos.filters as f;"
        "f.compile_memo_filter('pinned && content.contains(\\'x\\')', now=0);"
        "print(sorted(m for m in set(sys.modules) - before"
        " if m.split('.')[0] not in sys.stdlib_module_names | RECORDS | {'memos'}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(Path(memos.filters.__file__).parents[2])},
    ).stdout
    # Then nothing outside the standard library, memos and the record library (msgspec, which
    # loads typing_extensions when it is there) was imported
    assert out.strip() == "[]"
