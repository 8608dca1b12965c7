"""The user filter language of ListUsers and SearchUsers.

A user filter is one condition, or several joined with ``||`` (parentheses allowed):

- ``username == "<name>"`` (either operand order): that exact, case-sensitive username;
- ``username.contains("<text>")`` / ``display_name.contains("<text>")``: a case-insensitive
  literal substring (Unicode case folding), as ``contains`` in memo filters.

The text is read by the CEL parser of :mod:`memos.filters`, so quoting, escapes and syntax errors
(with line, column and caret) are those of every other filter; the conditions are picked out of
its syntax tree here. The result is a :mod:`memos.filters.ir` condition, matched with
:func:`memos.filters.evaluate`. Callers decide which conditions they accept (ListUsers: one
username equality) and word their own errors; :class:`UserFilterError` carries the reason.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from msgspec import Struct

from memos.filters import evaluate
from memos.filters.diagnostics import CelDiagnostic, cel_error
from memos.filters.ir import Compare, Contains, Or
from memos.filters.parser import parse
from memos.filters.syntax import Call, Ident, Literal

if TYPE_CHECKING:
    from collections.abc import Iterator

    from memos.filters.ir import Node
    from memos.filters.syntax import Expr

USERNAME: Final = "username"
DISPLAY_NAME: Final = "display_name"
FIELDS: Final = (USERNAME, DISPLAY_NAME)
MAX_FILTER_LENGTH: Final = 1024
MAX_CONDITIONS: Final = 8
SUPPORTED: Final = (
    'username == "<name>", username.contains("<text>") and display_name.contains("<text>"), '
    "joined by ||"
)

# What makes search text a filter rather than plain text: a CEL operator, a method call, or a
# user field followed by a comparison. A name a person searches for has none of these.
_FILTER_SYNTAX: Final = re.compile(
    r"==|!=|&&|\|\||\.\s*[A-Za-z_]\w*\s*\(|\b(?:username|display_name)\s*(?:[=<>!]|in\b)"
)
_OPERATORS: Final = {"!_": "!", "-_": "-", "@in": "in", "_?_:_": "?:", "_[_]": "[]"}

Condition = Compare | Contains


class UserFilterError(Exception):
    """Text outside the user filter language; ``detail`` says why, for the client."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class UserFilter(Struct, frozen=True):
    """The conditions of a filter, any of which selects a user."""

    conditions: tuple[Condition, ...]

    @property
    def usernames(self) -> tuple[str, ...]:
        """The exact usernames asked for (``username == "x"``), in filter order."""
        found = (c.value for c in self.conditions if isinstance(c, Compare))
        return tuple(dict.fromkeys(str(value) for value in found))

    @property
    def substrings(self) -> tuple[Contains, ...]:
        """The ``contains`` conditions (these need names to search through)."""
        return tuple(c for c in self.conditions if isinstance(c, Contains))

    @property
    def condition(self) -> Node:
        if len(self.conditions) == 1:
            return self.conditions[0]
        return Or(self.conditions)

    def matches(self, username: str, display_name: str) -> bool:
        record = {USERNAME: username, DISPLAY_NAME: display_name}
        return evaluate(self.condition, record)


def looks_like_filter(text: str) -> bool:
    """Whether search text is written in the filter language (else it is plain text)."""
    return _FILTER_SYNTAX.search(text) is not None


def plain_text_filter(text: str) -> UserFilter:
    """Plain search text: that exact username, or the text inside a username or display name."""
    return UserFilter(
        (
            Compare(USERNAME, "==", text),
            Contains(USERNAME, text),
            Contains(DISPLAY_NAME, text),
        )
    )


def parse_user_filter(text: str) -> UserFilter:
    """The conditions of a non-blank filter; raises :class:`UserFilterError`."""
    if len(text) > MAX_FILTER_LENGTH:
        raise UserFilterError(f"filter is too long (max {MAX_FILTER_LENGTH} characters)")
    try:
        expr = parse(text)
    except CelDiagnostic as diagnostic:
        raise UserFilterError(cel_error(text, [diagnostic]).detail) from None
    conditions = tuple(_condition(part) for part in _alternatives(expr))
    if len(conditions) > MAX_CONDITIONS:
        raise UserFilterError(f"too many conditions (max {MAX_CONDITIONS} joined by ||)")
    return UserFilter(conditions)


def _alternatives(expr: Expr) -> Iterator[Expr]:
    """The operands of a chain of ``||``, left to right."""
    pending = [expr]
    while pending:
        current = pending.pop()
        if isinstance(current, Call) and current.function == "_||_" and current.target is None:
            pending.extend(reversed(current.args))
        else:
            yield current


def _condition(expr: Expr) -> Condition:
    if isinstance(expr, Call):
        if expr.function == "_==_" and expr.target is None:
            return _equality(*expr.args)
        if expr.function == "contains" and expr.target is not None:
            return _contains(expr.target, expr.args)
        raise UserFilterError(f"{_shown(expr.function)} is not supported; use {SUPPORTED}")
    if isinstance(expr, Ident):
        _field(expr.name)
        raise UserFilterError(f'"{expr.name}" alone is not a condition; use {SUPPORTED}')
    raise UserFilterError(f"a user filter is made of {SUPPORTED}")


def _equality(left: Expr, right: Expr) -> Compare:
    field, value = (left, right) if isinstance(left, Ident) else (right, left)
    if not isinstance(field, Ident):
        raise UserFilterError("== must compare username with a string")
    if _field(field.name) != USERNAME:
        raise UserFilterError(
            f'{field.name} can\'t be compared with ==; use {field.name}.contains("<text>")'
        )
    return Compare(USERNAME, "==", _string(value, "username must be compared with a string"))


def _contains(target: Expr, args: tuple[Expr, ...]) -> Contains:
    if not isinstance(target, Ident):
        raise UserFilterError("contains() must be called on username or display_name")
    field = _field(target.name)
    if len(args) != 1:
        raise UserFilterError("contains() takes exactly one string")
    return Contains(field, _string(args[0], "contains() takes a string"))


def _field(name: str) -> str:
    if name not in FIELDS:
        raise UserFilterError(
            f'unknown field "{name}": a user filter names username or display_name'
        )
    return name


def _string(expr: Expr, message: str) -> str:
    if isinstance(expr, Literal) and expr.kind == "string" and isinstance(expr.value, str):
        return expr.value
    raise UserFilterError(message)


def _shown(function: str) -> str:
    if function in _OPERATORS:
        return f"operator {_OPERATORS[function]}"
    if function.startswith("_") and function.endswith("_"):
        return f"operator {function.strip('_')}"
    return f"{function}()"
