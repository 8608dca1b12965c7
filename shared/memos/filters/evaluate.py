"""Whether a record matches a condition tree, in Python.

Missing data follows the port's rules (filters spec §5): a missing boolean is false, missing
tags are an empty list, a missing scalar is null (equal only to ``null``, unequal to every
value, never ordered). Text search is a case-insensitive literal substring with Unicode case
folding; tag matches are exact-case.
"""

from __future__ import annotations

import operator
from typing import TYPE_CHECKING, Any

from memos.filters.ir import (
    And,
    Compare,
    Const,
    Contains,
    InList,
    Not,
    Or,
    TagIn,
    TagsExists,
    TagsHas,
    TagsSize,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from memos.filters.ir import Node, Operator

_ORDERINGS: dict[Operator, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def evaluate(node: Node, record: Mapping[str, Any]) -> bool:  # noqa: PLR0911 - one per node kind
    """Whether ``record`` (field name -> value, as in the schema) satisfies ``node``."""
    match node:
        case Const(value=value):
            return value
        case Compare(field=field, op=op, value=value):
            return _compare(record.get(field), op, value)
        case InList(field=field, values=values):
            actual = record.get(field)
            return actual is not None and actual in values
        case Contains(field=field, needle=needle):
            text = record.get(field)
            return isinstance(text, str) and needle.casefold() in text.casefold()
        case TagIn(tags=wanted):
            return any(
                tag == prefix or tag.startswith(f"{prefix}/")
                for tag in _tags(record)
                for prefix in wanted
            )
        case TagsHas(tag=wanted):
            return wanted in _tags(record)
        case TagsExists(kind=kind, value=value):
            return any(_tag_matches(tag, kind, value) for tag in _tags(record))
        case TagsSize(op=op, value=value):
            return _compare(len(_tags(record)), op, value)
        case And(items=items):
            return all(evaluate(item, record) for item in items)
        case Or(items=items):
            return any(evaluate(item, record) for item in items)
        case Not(item=item):
            return not evaluate(item, record)


def _compare(actual: Any, op: Operator, value: str | int | bool | None) -> bool:
    if isinstance(value, bool):
        actual = bool(actual)
    if op == "==":
        return bool(actual == value)
    if op == "!=":
        return bool(actual != value)
    if actual is None or value is None or isinstance(actual, str) != isinstance(value, str):
        return False
    return _ORDERINGS[op](actual, value)


def _tags(record: Mapping[str, Any]) -> Sequence[str]:
    tags = record.get("tags")
    return tags if tags else ()


def _tag_matches(tag: str, kind: str, value: str) -> bool:
    if kind == "startsWith":
        return tag.startswith(value)
    if kind == "endsWith":
        return tag.endswith(value)
    return value in tag
