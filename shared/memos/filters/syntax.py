"""The CEL syntax tree the parser builds and the checker and compiler read.

Operators are calls with CEL's internal function names (``_&&_``, ``!_``, ``_==_``, ``@in``,
``_?_:_``, ``_[_]``), so diagnostics name them as CEL does. Macros (``exists`` and friends) are
kept as :class:`Comprehension` nodes instead of being expanded into loops. Nodes are named
tuples: cheap to define, so importing the package stays fast. ``offset`` is where
the node starts (for operators: where the operator is), in code points into the filter text.
"""

from __future__ import annotations

from typing import Literal as TypingLiteral
from typing import NamedTuple, TypeAlias

LiteralKind = TypingLiteral["bool", "int", "uint", "double", "string", "bytes", "null"]
MacroName = TypingLiteral["all", "exists", "exists_one", "map", "filter"]


class Literal(NamedTuple):
    kind: LiteralKind
    value: bool | int | float | str | bytes | None
    offset: int


class Ident(NamedTuple):
    name: str
    offset: int


class Select(NamedTuple):
    """``operand.field``; ``test_only`` for the ``has(operand.field)`` macro."""

    operand: Expr
    field: str
    offset: int
    test_only: bool = False


class Call(NamedTuple):
    """A function (``size(x)``), a method (``x.contains(y)``: ``target`` set) or an operator."""

    function: str
    args: tuple[Expr, ...]
    offset: int
    target: Expr | None = None


class ListLiteral(NamedTuple):
    elements: tuple[Expr, ...]
    offset: int


class MapLiteral(NamedTuple):
    entries: tuple[tuple[Expr, Expr], ...]
    offset: int


class StructLiteral(NamedTuple):
    """``Name{field: value}``: message construction (no message types are declared)."""

    type_name: str
    fields: tuple[tuple[str, Expr], ...]
    offset: int


class Comprehension(NamedTuple):
    """``range.macro(variable, predicate[, transform])``."""

    macro: MacroName
    range: Expr
    variable: str
    predicate: Expr
    offset: int
    transform: Expr | None = None


Expr: TypeAlias = (
    Literal | Ident | Select | Call | ListLiteral | MapLiteral | StructLiteral | Comprehension
)


def children(expr: Expr) -> tuple[Expr, ...]:  # noqa: PLR0911 - one return per node kind
    """The direct sub-expressions of ``expr``."""
    match expr:
        case Select(operand=operand):
            return (operand,)
        case Call(args=args, target=target):
            return args if target is None else (target, *args)
        case ListLiteral(elements=elements):
            return elements
        case MapLiteral(entries=entries):
            return tuple(part for entry in entries for part in entry)
        case StructLiteral(fields=fields):
            return tuple(value for _, value in fields)
        case Comprehension(range=range_, predicate=predicate, transform=transform):
            return (range_, predicate) if transform is None else (range_, predicate, transform)
        case _:
            return ()
