"""Translating the part of a condition tree that DynamoDB can decide into a FilterExpression.

Memo items carry ``tags`` (list of strings, always present), ``tag_paths`` (every tag plus its
ancestors, see :func:`memos.markdown.tag_paths`) and the boolean flags (always
present), so tag membership, tag hierarchy, tag counts, flags and scalar comparisons translate
exactly. Case-insensitive text search (``content.contains``) and tag prefix/suffix/substring
tests (``tags.exists``) can't be expressed and stay in Python.

Each translated atom is true in DynamoDB exactly when :func:`memos.filters.evaluate` is true,
also for a missing attribute (DynamoDB conditions are two-valued: a function or comparison on
a missing attribute is false), so ``NOT`` translates too. ``None`` values are never stored
(``memo_id == null`` is ``attribute_not_exists``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from memos.filters.fold import all_of, conjuncts
from memos.filters.ir import (
    And,
    Compare,
    InList,
    Not,
    Or,
    TagIn,
    TagsHas,
    TagsSize,
)
from memos.store.table import Expression

if TYPE_CHECKING:
    from collections.abc import Mapping

    from memos.filters.ir import Node, Operator

MAX_EXPRESSION_LENGTH = 3000  # DynamoDB allows 4 KB; leave room for a caller's own clauses
MAX_IN_VALUES = 100  # DynamoDB's limit for one IN list
TAG_PATHS_KEYS = ("tag", "tag_paths")  # where ``attributes`` names the tag-paths attribute

_OPERATORS: dict[Operator, str] = {
    "==": "=", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">=",
}  # fmt: skip


def split_for_dynamodb(
    node: Node, attributes: Mapping[str, str]
) -> tuple[Expression | None, Node | None]:
    """The FilterExpression for the conjuncts DynamoDB decides exactly, and the rest.

    ``attributes`` maps filter fields to item attribute names: ``"tags"`` to the tag list and
    ``"tag"`` (or ``"tag_paths"``) to the tag-paths list; a condition on a field without an
    attribute stays in Python. Placeholders are ``#f<n>``/``:f<n>``. Returns ``(None, None)``
    for ``Const(True)``.
    """
    renderer = _Renderer(attributes)
    clauses: list[str] = []
    residual: list[Node] = []
    length = 0
    for item in conjuncts(node):
        mark = renderer.mark()
        rendered = renderer.render(item) if renderer.expressible(item) else None
        if rendered is None or length + len(rendered) + 9 > MAX_EXPRESSION_LENGTH:
            renderer.rollback(mark)
            residual.append(item)
            continue
        clauses.append(rendered)
        length += len(rendered) + 9  # the parentheses and " AND " around it
    expression = None
    if clauses:
        text = clauses[0] if len(clauses) == 1 else " AND ".join(f"({c})" for c in clauses)
        expression = Expression(text, renderer.names, renderer.values)
    return expression, (all_of(residual) if residual else None)


class _Renderer:
    def __init__(self, attributes: Mapping[str, str]) -> None:
        self.attributes = attributes
        self.names: dict[str, str] = {}
        self.values: dict[str, Any] = {}

    def expressible(self, node: Node) -> bool:  # noqa: PLR0911 - one return per node kind
        match node:
            case Compare(field=field, op=op, value=value):
                return field in self.attributes and (value is not None or op in ("==", "!="))
            case InList(field=field, values=values):
                return field in self.attributes and None not in values
            case TagIn(tags=tags):  # no path is empty, so "" (tags starting with "/") stays
                return self._tag_paths_key() is not None and "" not in tags
            case TagsHas() | TagsSize():
                return "tags" in self.attributes
            case And(items=items) | Or(items=items):
                return all(self.expressible(item) for item in items)
            case Not(item=item):
                return self.expressible(item)
            case _:
                return False

    def mark(self) -> tuple[int, int]:
        return len(self.names), len(self.values)

    def rollback(self, mark: tuple[int, int]) -> None:
        """Drop the placeholders added since ``mark`` (by a clause that was left out)."""
        for key in list(self.names)[mark[0] :]:
            del self.names[key]
        for key in list(self.values)[mark[1] :]:
            del self.values[key]

    def _tag_paths_key(self) -> str | None:
        return next((key for key in TAG_PATHS_KEYS if key in self.attributes), None)

    def _name(self, field: str) -> str:
        attribute = self.attributes[field]
        for placeholder, name in self.names.items():
            if name == attribute:
                return placeholder
        placeholder = f"#f{len(self.names)}"
        self.names[placeholder] = attribute
        return placeholder

    def _value(self, value: Any) -> str:
        placeholder = f":f{len(self.values)}"
        self.values[placeholder] = value
        return placeholder

    def render(self, node: Node) -> str:  # noqa: PLR0911 - one return per node kind
        match node:
            case Compare(field=field, op=op, value=value):
                return self._compare(self._name(field), op, value)
            case InList(field=field, values=values):
                name = self._name(field)
                chunks = [
                    values[start : start + MAX_IN_VALUES]
                    for start in range(0, len(values), MAX_IN_VALUES)
                ]
                lists = [
                    f"{name} IN ({', '.join(self._value(value) for value in chunk)})"
                    for chunk in chunks
                ]
                return " OR ".join(lists)
            case TagIn(tags=tags):
                name = self._name(self._tag_paths_key() or TAG_PATHS_KEYS[0])
                return " OR ".join(f"contains({name}, {self._value(tag)})" for tag in tags)
            case TagsHas(tag=tag):
                return f"contains({self._name('tags')}, {self._value(tag)})"
            case TagsSize(op=op, value=value):
                name = self._name("tags")
                size = f"size({name}) {_OPERATORS[op]} {self._value(value)}"
                if _holds(0, op, value):  # a missing list counts as empty
                    return f"attribute_not_exists({name}) OR {size}"
                return f"attribute_exists({name}) AND {size}"
            case And(items=items):
                return " AND ".join(f"({self.render(item)})" for item in items)
            case Or(items=items):
                return " OR ".join(f"({self.render(item)})" for item in items)
            case Not(item=item):
                return f"NOT ({self.render(item)})"
            case _:
                raise ValueError(f"not expressible in DynamoDB: {node!r}")

    def _compare(self, name: str, op: Operator, value: str | int | bool | None) -> str:
        if value is None:
            return f"attribute_not_exists({name})" if op == "==" else f"attribute_exists({name})"
        if isinstance(value, bool):
            wanted = value if op == "==" else not value
            equal = f"{name} = {self._value(True)}"
            return equal if wanted else f"NOT ({equal})"
        if op == "!=":
            return f"NOT ({name} = {self._value(value)})"
        return f"{name} {_OPERATORS[op]} {self._value(value)}"


def _holds(left: int, op: Operator, right: int) -> bool:
    return {
        "==": left == right,
        "!=": left != right,
        "<": left < right,
        "<=": left <= right,
        ">": left > right,
        ">=": left >= right,
    }[op]
