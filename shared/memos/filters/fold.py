"""Building normalised ``And``/``Or``/``Not`` nodes: constants fold, nesting flattens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from memos.filters.ir import And, Const, Not, Or

if TYPE_CHECKING:
    from collections.abc import Iterable

    from memos.filters.ir import Node

TRUE = Const(True)
FALSE = Const(False)


def all_of(items: Iterable[Node]) -> Node:
    """The conjunction of ``items``: ``True`` items dropped, any ``False`` makes it ``False``."""
    flat: list[Node] = []
    for item in items:
        if isinstance(item, Const):
            if not item.value:
                return FALSE
        elif isinstance(item, And):
            flat.extend(item.items)
        else:
            flat.append(item)
    return _combine(flat, And, TRUE)


def any_of(items: Iterable[Node]) -> Node:
    """The disjunction of ``items``: ``False`` items dropped, any ``True`` makes it ``True``."""
    flat: list[Node] = []
    for item in items:
        if isinstance(item, Const):
            if item.value:
                return TRUE
        elif isinstance(item, Or):
            flat.extend(item.items)
        else:
            flat.append(item)
    return _combine(flat, Or, FALSE)


def negation(item: Node) -> Node:
    """``Not(item)``, folding constants and double negation."""
    if isinstance(item, Const):
        return Const(not item.value)
    if isinstance(item, Not):
        return item.item
    return Not(item)


def conjuncts(node: Node) -> tuple[Node, ...]:
    """The items of a top-level ``And`` (``()`` for ``Const(True)``, else ``(node,)``)."""
    if isinstance(node, And):
        return node.items
    if node == TRUE:
        return ()
    return (node,)


def _combine(items: list[Node], kind: type[And] | type[Or], empty: Const) -> Node:
    unique = tuple(dict.fromkeys(items))
    if not unique:
        return empty
    if len(unique) == 1:
        return unique[0]
    return kind(unique)
