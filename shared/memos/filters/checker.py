"""Type-checks a CEL syntax tree against a schema's declared variables, as cel-go would.

Reports undeclared names and calls no overload accepts (``creator_id == "1"``,
``created_ts > 1.5``), with CEL's wording. Every diagnostic is collected; an operand whose
type is already wrong does not cause a second report about its parent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from memos.filters.cel_types import (
    BOOL,
    BYTES,
    DOUBLE,
    DYN,
    ERROR,
    INT,
    NULL,
    STRING,
    UINT,
    CelType,
    is_assignable,
    join,
    list_of,
    map_of,
    standard_overloads,
)
from memos.filters.diagnostics import CelDiagnostic
from memos.filters.syntax import (
    Call,
    Comprehension,
    Expr,
    Ident,
    ListLiteral,
    Literal,
    MapLiteral,
    Select,
    StructLiteral,
)

if TYPE_CHECKING:
    from memos.filters.schema import Schema

_DECLARED_TYPES = {
    "string": STRING,
    "int": INT,
    "bool": BOOL,
    "list(string)": list_of(STRING),
    "dyn": DYN,
}
_LITERAL_TYPES = {
    "bool": BOOL,
    "int": INT,
    "uint": UINT,
    "double": DOUBLE,
    "string": STRING,
    "bytes": BYTES,
    "null": NULL,
}
# The operator each macro's loop step applies to the predicate, named in its diagnostic.
_MACRO_STEPS = {"exists": "_||_", "all": "_&&_", "exists_one": "_?_:_", "filter": "_?_:_"}


def check(expr: Expr, schema: Schema) -> list[CelDiagnostic]:
    """Every type error in ``expr`` (empty when it type-checks)."""
    checker = _Checker({name: _DECLARED_TYPES[spec.cel_type] for name, spec in schema.items()})
    checker.type_of(expr)
    return checker.diagnostics


class _Checker:
    def __init__(self, variables: dict[str, CelType]) -> None:
        self.variables = variables
        self.scopes: list[tuple[str, CelType]] = []
        self.diagnostics: list[CelDiagnostic] = []

    def _report(self, offset: int, message: str) -> CelType:
        self.diagnostics.append(CelDiagnostic(offset, message))
        return ERROR

    def _undeclared(self, offset: int, name: str) -> CelType:
        return self._report(offset, f"undeclared reference to '{name}' (in container '')")

    def type_of(self, expr: Expr) -> CelType:  # noqa: PLR0911 - one return per node kind
        match expr:
            case Literal(kind=kind):
                return _LITERAL_TYPES[kind]
            case Ident(name=name, offset=offset):
                return self._ident(name, offset)
            case Select():
                return self._select(expr)
            case Call():
                return self._call(expr)
            case ListLiteral(elements=elements):
                element: CelType | None = None
                for item in elements:
                    element = join(element, self.type_of(item))
                return list_of(element or DYN)
            case MapLiteral(entries=entries):
                key: CelType | None = None
                value: CelType | None = None
                for key_expr, value_expr in entries:
                    key = join(key, self.type_of(key_expr))
                    value = join(value, self.type_of(value_expr))
                return map_of(key or DYN, value or DYN)
            case StructLiteral(type_name=type_name, fields=fields, offset=offset):
                for _, field_value in fields:
                    self.type_of(field_value)
                return self._undeclared(offset, type_name)
            case Comprehension():
                return self._comprehension(expr)

    def _ident(self, name: str, offset: int) -> CelType:
        for scoped_name, scoped_type in reversed(self.scopes):
            if scoped_name == name:
                return scoped_type
        declared = self.variables.get(name)
        return declared if declared is not None else self._undeclared(offset, name)

    def _select(self, expr: Select) -> CelType:
        operand = self.type_of(expr.operand)
        if operand.is_dynamic:
            return BOOL if expr.test_only else operand
        if operand.name == "map" and is_assignable(operand.params[0], STRING):
            return BOOL if expr.test_only else operand.params[1]
        return self._report(expr.offset, f"type '{operand}' does not support field selection")

    def _call(self, expr: Call) -> CelType:
        target = None if expr.target is None else self.type_of(expr.target)
        args = [self.type_of(arg) for arg in expr.args]
        if ERROR in args or target == ERROR:
            return ERROR
        overloads = standard_overloads().get(expr.function)
        if overloads is None:
            return self._undeclared(expr.offset, expr.function)
        operands = args if target is None else [target, *args]
        results = {
            result
            for overload in overloads
            if (result := overload.result_for(operands, receiver=target is not None)) is not None
        }
        if len(results) == 1:
            return results.pop()
        if results:
            return DYN
        shown = ", ".join(str(arg) for arg in args)
        applied = f"({shown})" if target is None else f"{target}.({shown})"
        return self._report(
            expr.offset, f"found no matching overload for '{expr.function}' applied to '{applied}'"
        )

    def _comprehension(self, expr: Comprehension) -> CelType:
        range_type = self.type_of(expr.range)
        if range_type.is_dynamic:
            variable = range_type
        elif range_type.name in ("list", "map"):
            variable = range_type.params[0]
        else:
            return self._report(
                expr.range.offset,
                f"expression of type '{range_type}' cannot be range of a comprehension "
                "(must be list, map, or dynamic)",
            )
        self.scopes.append((expr.variable, variable))
        predicate = self.type_of(expr.predicate)
        transform = None if expr.transform is None else self.type_of(expr.transform)
        self.scopes.pop()
        if ERROR in (predicate, transform):
            return ERROR
        if not is_assignable(BOOL, predicate):
            step = _MACRO_STEPS.get(expr.macro, "_?_:_")
            return self._report(
                expr.predicate.offset,
                f"found no matching overload for '{step}' applied to '(bool, {predicate})'",
            )
        if expr.macro == "map":
            return list_of(transform or DYN)
        if expr.macro == "filter":
            return list_of(variable)
        return BOOL
