"""From a type-checked CEL tree to the normalised condition tree, enforcing Memos' subset.

Follows Memos v0.26.2 (``plugin/filter``): a comparison is a field (or ``size(tags)``) on the
left and a constant on the right; constants are literals, ``now()`` and ``+ - *`` over them,
folded here with the ``now`` passed in; ``in`` takes a list literal, or a literal before
``tags``; ``contains`` takes a string literal; ``tags.exists`` takes one
``startsWith``/``endsWith``/``contains`` call on its variable. Anything else is rejected with
Memos' message for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple, cast

from memos.filters.diagnostics import FilterCompileError
from memos.filters.fold import FALSE, TRUE, all_of, any_of, negation
from memos.filters.ir import (
    Compare,
    Const,
    Contains,
    InList,
    TagIn,
    TagsExists,
    TagsHas,
    TagsSize,
)
from memos.filters.syntax import (
    Call,
    Comprehension,
    Expr,
    Ident,
    ListLiteral,
)
from memos.filters.syntax import Literal as LiteralExpr

if TYPE_CHECKING:
    from memos.filters.ir import Node, Operator, TagMatch
    from memos.filters.schema import FieldSpec, Schema

_COMPARISONS: dict[str, Operator] = {
    "_==_": "==", "_!=_": "!=", "_<_": "<", "_<=_": "<=", "_>_": ">", "_>=_": ">=",
}  # fmt: skip
_ARITHMETIC = frozenset(("_+_", "_-_", "_*_"))
_TAG_PREDICATES = frozenset(("startsWith", "endsWith", "contains"))
_INT64 = range(-(2**63), 2**63)

Scalar = str | int | float | bool | None


class _FieldRef(NamedTuple):
    name: str


class _Constant(NamedTuple):
    value: Scalar


class _Size(NamedTuple):
    argument: _Value


_Value = _FieldRef | _Constant | _Size


def compile_condition(expr: Expr, schema: Schema, *, now: int) -> Node:
    """The condition tree of ``expr``; raises :class:`FilterCompileError` outside the subset."""
    return _Compiler(schema, now).condition(expr)


def _reject(message: str) -> FilterCompileError:
    return FilterCompileError(message)


def _shown_operator(op: Operator) -> str:
    return "=" if op == "==" else op


class _Compiler:
    def __init__(self, schema: Schema, now: int) -> None:
        self.schema = schema
        self.now = now

    def _field(self, name: str) -> FieldSpec:
        spec = self.schema.get(name)
        if spec is None:
            raise _reject(f'unknown identifier "{name}"')
        return spec

    # Conditions -------------------------------------------------------------------------------

    def condition(self, expr: Expr) -> Node:
        match expr:
            case LiteralExpr(kind=kind, value=value):
                if kind in ("bool", "int", "uint", "double"):
                    return Const(bool(value))
                raise _reject("filter must evaluate to a boolean value")
            case Ident(name=name):
                if self._field(name).kind != "bool":
                    raise _reject(f'identifier "{name}" is not boolean')
                return Compare(name, "==", True)
            case Call():
                return self._call(expr)
            case Comprehension():
                return self._comprehension(expr)
            case _:
                raise _reject("unsupported top-level expression")

    def _call(self, call: Call) -> Node:
        function = call.function
        if function == "_&&_":
            return all_of(self.condition(arg) for arg in call.args)
        if function == "_||_":
            return any_of(self.condition(arg) for arg in call.args)
        if function == "!_":
            return negation(self.condition(call.args[0]))
        if function in _COMPARISONS:
            return self._comparison(_COMPARISONS[function], call.args[0], call.args[1])
        if function == "@in":
            return self._membership(call.args[0], call.args[1])
        if function == "contains":
            return self._contains(call)
        raise _reject(f'unsupported call expression "{function}"')

    def _comparison(self, op: Operator, left_expr: Expr, right_expr: Expr) -> Node:
        left = self._value(left_expr)
        right = self._value(right_expr)
        if isinstance(left, _FieldRef):
            spec = self._field(left.name)
            allowed = self._field("tags").operators if spec.kind == "tag_alias" else spec.operators
            if op not in allowed:
                raise _reject(f'operator {_shown_operator(op)} not allowed for field "{spec.name}"')
            return self._field_comparison(spec, op, right)
        if isinstance(left, _Size):
            return self._size_comparison(left, op, right)
        raise _reject("comparison must start with a field reference or supported function")

    def _field_comparison(self, spec: FieldSpec, op: Operator, right: _Value) -> Node:
        if spec.kind == "bool":
            value = _literal(right)
            if not isinstance(value, bool):
                raise _reject("boolean literal required")
            return Compare(spec.name, "==", value if op == "==" else not value)
        if spec.kind != "scalar":
            raise _reject(f'field "{spec.name}" does not support comparison')
        value = _literal(right)
        if value is None:
            if op not in ("==", "!="):
                raise _reject(f"operator {op} not supported for null comparison")
            return Compare(spec.name, op, None)
        if spec.value_type == "string":
            if not isinstance(value, str):
                raise _reject(f'field "{spec.name}" expects string value')
            return Compare(spec.name, op, value)
        try:
            number = _to_int64(value)
        except FilterCompileError as error:
            raise _reject(f'field "{spec.name}" expects integer value: {error.detail}') from None
        return Compare(spec.name, op, number)

    def _size_comparison(self, size: _Size, op: Operator, right: _Value) -> Node:
        if not isinstance(size.argument, _FieldRef):
            raise _reject("size() argument must be a field")
        spec = self._field(size.argument.name)
        if spec.kind != "list":
            raise _reject(f'size() only supports tag lists, got "{spec.name}"')
        return TagsSize(op, _to_int64(_literal(right)))

    def _membership(self, element_expr: Expr, container_expr: Expr) -> Node:
        if isinstance(element_expr, Ident):
            spec = self._field(element_expr.name)
            if isinstance(container_expr, ListLiteral):
                values = [self._value(item) for item in container_expr.elements]
                return self._in_list(spec, values)
        if isinstance(container_expr, Ident):
            spec = self._field(container_expr.name)
            element = self._value(element_expr)
            if spec.kind != "list":
                raise _reject(f'field "{spec.name}" is not a tag list')
            tag = _literal(element)
            if not isinstance(tag, str):
                raise _reject("tags membership requires string literal")
            return TagsHas(tag)
        raise _reject("invalid use of in operator")

    def _in_list(self, spec: FieldSpec, values: list[_Value]) -> Node:
        if spec.kind == "tag_alias":
            tags: list[str] = []
            for value in values:
                tag = _literal(value)
                if not isinstance(tag, str):
                    raise _reject("tags must be compared with string literals")
                tags.append(tag)
            return TagIn(tuple(dict.fromkeys(tags))) if tags else FALSE
        if spec.kind != "scalar":
            raise _reject(f'field "{spec.name}" does not support IN()')
        items: list[str | int] = []
        for value in values:
            literal = _literal(value)
            if spec.value_type == "string":
                if not isinstance(literal, str):
                    raise _reject(f'field "{spec.name}" expects string values')
                items.append(literal)
            elif spec.value_type == "int":
                items.append(_to_int64(literal))
            else:
                raise _reject(f'field "{spec.name}" does not support IN() comparisons')
        return InList(spec.name, tuple(dict.fromkeys(items))) if items else FALSE

    def _contains(self, call: Call) -> Node:
        if call.target is None:
            raise _reject("contains requires a target")
        if not isinstance(call.target, Ident):
            raise _reject("expression is not an identifier")
        spec = self._field(call.target.name)
        if not spec.supports_contains:
            raise _reject(f'identifier "{spec.name}" does not support contains()')
        if len(call.args) != 1:
            raise _reject("contains expects exactly one argument")
        needle = _string_argument(call.args[0], "contains only supports literal arguments")
        if not isinstance(needle, str):
            raise _reject("contains argument must be a string")
        return Contains(spec.name, needle) if needle else TRUE

    def _comprehension(self, expr: Comprehension) -> Node:
        if expr.macro == "all":
            raise _reject("all() comprehension is not supported; use exists() instead")
        if expr.macro == "exists_one":
            raise _reject("unsupported comprehension type; only exists() is supported")
        if expr.macro != "exists":
            raise _reject("comprehension accumulator must be initialized with a constant")
        if not isinstance(expr.range, Ident):
            raise _reject("comprehension range must be a field identifier")
        spec = self.schema.get(expr.range.name)
        if spec is None:
            raise _reject(f'unknown field "{expr.range.name}" in comprehension')
        if spec.kind != "list":
            raise _reject(f'field "{spec.name}" does not support comprehension (must be a list)')
        predicate = expr.predicate
        if not isinstance(predicate, Call):
            raise _reject("comprehension predicate must be a function call")
        name = predicate.function
        if name not in _TAG_PREDICATES:
            raise _reject(
                f'unsupported predicate function "{name}" in comprehension '
                "(supported: startsWith, endsWith, contains)"
            )
        target = predicate.target
        if not isinstance(target, Ident) or target.name != expr.variable:
            raise _reject(f'{name} target must be the iteration variable "{expr.variable}"')
        if len(predicate.args) != 1:
            raise _reject(f"{name} expects exactly one argument")
        value = _string_argument(predicate.args[0], f"{name} argument must be a constant string")
        if not isinstance(value, str):
            raise _reject(f"{name} argument must be a string")
        return TagsExists(cast("TagMatch", name), value)

    # Values -----------------------------------------------------------------------------------

    def _value(self, expr: Expr) -> _Value:
        if isinstance(expr, Ident):
            self._field(expr.name)
            return _FieldRef(expr.name)
        if isinstance(expr, LiteralExpr) and expr.kind != "bytes":
            return _Constant(cast("Scalar", expr.value))
        number = self._number(expr)
        if number is not None:
            return _Constant(number)
        flag = _bool_constant(expr)
        if flag is not None:
            return _Constant(flag)
        if isinstance(expr, Call) and expr.function == "size":
            if len(expr.args) != 1:
                raise _reject("size() expects one argument")
            return _Size(self._value(expr.args[0]))
        raise _reject("unsupported value expression")

    def _number(self, expr: Expr) -> int | None:  # noqa: PLR0911 - "not a number" at each step
        if isinstance(expr, LiteralExpr):
            if expr.kind in ("int", "uint", "double"):
                return _in_int64(int(cast("float", expr.value)))
            return None
        if not isinstance(expr, Call):
            return None
        if expr.function == "now":
            return self.now
        if expr.function not in _ARITHMETIC or len(expr.args) != 2:
            return None
        left = self._number(expr.args[0])
        right = self._number(expr.args[1])
        if left is None or right is None:
            return None
        if expr.function == "_+_":
            result = left + right
        elif expr.function == "_-_":
            result = left - right
        else:
            result = left * right
        return _in_int64(result)


def _bool_constant(expr: Expr) -> bool | None:
    if isinstance(expr, LiteralExpr):
        return expr.value if isinstance(expr.value, bool) else None
    if isinstance(expr, Call) and expr.function == "!_" and len(expr.args) == 1:
        inner = _bool_constant(expr.args[0])
        return None if inner is None else not inner
    return None


def _literal(value: _Value) -> Scalar:
    if not isinstance(value, _Constant):
        raise _reject("expression must be a literal")
    return value.value


def _string_argument(expr: Expr, context: str) -> Scalar:
    if not isinstance(expr, LiteralExpr):
        raise _reject(f"{context}: expression is not a literal")
    if expr.kind == "bytes":
        raise _reject(f"{context}: unsupported constant bytes")
    return cast("Scalar", expr.value)


_TYPE_NAMES: dict[type, str] = {bool: "bool", str: "string", type(None): "null"}


def _to_int64(value: Scalar) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        shown = _TYPE_NAMES.get(type(value), type(value).__name__)
        raise _reject(f"cannot convert {shown} to int64")
    return _in_int64(int(value))


def _in_int64(number: int) -> int:
    if number not in _INT64:
        raise _reject("integer overflow in constant expression")
    return number
