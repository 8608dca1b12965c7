"""The normalised condition tree a filter compiles to.

Every node is a frozen value, so trees compare and hash by value. The compiler folds constants,
flattens nested ``And``/``Or`` and turns bare boolean fields into ``Compare(field, "==", True)``;
boolean comparisons always use ``==`` (``pinned != false`` becomes ``pinned == true``).
"""

from __future__ import annotations

from typing import Literal, TypeAlias

from msgspec import Struct

Operator = Literal["==", "!=", "<", "<=", ">", ">="]
TagMatch = Literal["startsWith", "endsWith", "contains"]


class Const(Struct, frozen=True):
    """Every record (``True``) or none (``False``)."""

    value: bool


class Compare(Struct, frozen=True):
    """``field <op> value``; ``None`` is the null of ``memo_id == null``."""

    field: str
    op: Operator
    value: str | int | bool | None


class InList(Struct, frozen=True):
    """The field equals one of ``values`` (never empty: an empty list compiles to ``Const``)."""

    field: str
    values: tuple[str | int | None, ...]


class Contains(Struct, frozen=True):
    """Case-insensitive literal substring of a text field (``content``, ``filename``)."""

    field: str
    needle: str


class TagIn(Struct, frozen=True):
    """``tag in [...]``: some tag equals one of ``tags`` or lies below it (``book/x``)."""

    tags: tuple[str, ...]


class TagsHas(Struct, frozen=True):
    """``"x" in tags``: some tag is exactly ``tag``."""

    tag: str


class TagsExists(Struct, frozen=True):
    """``tags.exists(t, t.<kind>("value"))``: some tag starts with, ends with or contains it."""

    kind: TagMatch
    value: str


class TagsSize(Struct, frozen=True):
    """``size(tags) <op> value``; a memo without tags has size 0."""

    op: Operator
    value: int


class And(Struct, frozen=True):
    items: tuple[Node, ...]


class Or(Struct, frozen=True):
    items: tuple[Node, ...]


class Not(Struct, frozen=True):
    item: Node


Node: TypeAlias = (
    Const | Compare | InList | Contains | TagIn | TagsHas | TagsExists | TagsSize | And | Or | Not
)
