"""The normalised condition tree a filter compiles to.

Every node is a frozen value, so trees compare and hash by value. The compiler folds constants,
flattens nested ``And``/``Or`` and turns bare boolean fields into ``Compare(field, "==", True)``;
boolean comparisons always use ``==`` (``pinned != false`` becomes ``pinned == true``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeAlias

Operator = Literal["==", "!=", "<", "<=", ">", ">="]
TagMatch = Literal["startsWith", "endsWith", "contains"]


@dataclass(frozen=True, slots=True)
class Const:
    """Every record (``True``) or none (``False``)."""

    value: bool


@dataclass(frozen=True, slots=True)
class Compare:
    """``field <op> value``; ``None`` is the null of ``memo_id == null``."""

    field: str
    op: Operator
    value: str | int | bool | None


@dataclass(frozen=True, slots=True)
class InList:
    """The field equals one of ``values`` (never empty: an empty list compiles to ``Const``)."""

    field: str
    values: tuple[str | int | None, ...]


@dataclass(frozen=True, slots=True)
class Contains:
    """Case-insensitive literal substring of a text field (``content``, ``filename``)."""

    field: str
    needle: str


@dataclass(frozen=True, slots=True)
class TagIn:
    """``tag in [...]``: some tag equals one of ``tags`` or lies below it (``book/x``)."""

    tags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TagsHas:
    """``"x" in tags``: some tag is exactly ``tag``."""

    tag: str


@dataclass(frozen=True, slots=True)
class TagsExists:
    """``tags.exists(t, t.<kind>("value"))``: some tag starts with, ends with or contains it."""

    kind: TagMatch
    value: str


@dataclass(frozen=True, slots=True)
class TagsSize:
    """``size(tags) <op> value``; a memo without tags has size 0."""

    op: Operator
    value: int


@dataclass(frozen=True, slots=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    item: Node


Node: TypeAlias = (
    Const | Compare | InList | Contains | TagIn | TagsHas | TagsExists | TagsSize | And | Or | Not
)
