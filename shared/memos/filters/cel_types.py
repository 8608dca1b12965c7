"""CEL types and the overloads of the standard functions, as far as type checking needs them.

Type parameters (``A``, ``B``) are types whose name starts with ``_``; ``dyn`` (and the error
type, so one mistake is reported once) is assignable to and from anything. Mixed numeric
comparisons (``int < double``) have no overload, as in cel-go without its cross-type option.
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple


class CelType(NamedTuple):
    name: str
    params: tuple[CelType, ...] = ()

    def __str__(self) -> str:
        if not self.params:
            return self.name
        return f"{self.name}({', '.join(str(param) for param in self.params)})"

    @property
    def is_parameter(self) -> bool:
        return self.name.startswith("_")

    @property
    def is_dynamic(self) -> bool:
        return self.name in ("dyn", "*error*")


INT = CelType("int")
UINT = CelType("uint")
DOUBLE = CelType("double")
STRING = CelType("string")
BYTES = CelType("bytes")
BOOL = CelType("bool")
NULL = CelType("null_type")
DYN = CelType("dyn")
ERROR = CelType("*error*")
TIMESTAMP = CelType("google.protobuf.Timestamp")
DURATION = CelType("google.protobuf.Duration")
_A = CelType("_A")
_B = CelType("_B")


def list_of(element: CelType) -> CelType:
    return CelType("list", (element,))


def map_of(key: CelType, value: CelType) -> CelType:
    return CelType("map", (key, value))


def type_of(value: CelType) -> CelType:
    return CelType("type", (value,))


def is_assignable(target: CelType, value: CelType) -> bool:
    """Whether a value of type ``value`` may be used where ``target`` is expected."""
    if target.is_dynamic or value.is_dynamic:
        return True
    if target.name != value.name or len(target.params) != len(value.params):
        return False
    return all(is_assignable(t, v) for t, v in zip(target.params, value.params, strict=True))


def join(first: CelType | None, second: CelType) -> CelType:
    """The element type of a list holding both (``dyn`` when they differ)."""
    if first is None or first == second:
        return second
    return DYN


class Overload(NamedTuple):
    params: tuple[CelType, ...]
    result: CelType
    receiver: bool = False

    def result_for(self, args: list[CelType], *, receiver: bool) -> CelType | None:
        """The result type when ``args`` fit this overload, else ``None``."""
        if receiver != self.receiver or len(args) != len(self.params):
            return None
        bindings: dict[str, CelType] = {}
        for param, arg in zip(self.params, args, strict=True):
            if not _bind(param, arg, bindings):
                return None
        return _substitute(self.result, bindings)


def _bind(param: CelType, arg: CelType, bindings: dict[str, CelType]) -> bool:
    if param.is_parameter:
        bound = bindings.get(param.name)
        if bound is None or bound.is_dynamic:
            bindings[param.name] = arg
            return True
        return is_assignable(bound, arg)
    if arg.is_dynamic:
        return True
    if param.name != arg.name or len(param.params) != len(arg.params):
        return False
    return all(_bind(p, a, bindings) for p, a in zip(param.params, arg.params, strict=True))


def _substitute(result: CelType, bindings: dict[str, CelType]) -> CelType:
    if result.is_parameter:
        return bindings.get(result.name, DYN)
    if not result.params:
        return result
    return CelType(result.name, tuple(_substitute(param, bindings) for param in result.params))


@cache
def standard_overloads() -> dict[str, tuple[Overload, ...]]:
    """CEL's standard functions and operators, plus Memos' ``now()``; built on first use."""
    table = _Table()
    _add_operators(table)
    _add_functions(table)
    return {function: tuple(overloads) for function, overloads in table.overloads.items()}


class _Table:
    def __init__(self) -> None:
        self.overloads: dict[str, list[Overload]] = {}

    def add(
        self, function: str, params: tuple[CelType, ...], result: CelType, *, method: bool = False
    ) -> None:
        self.overloads.setdefault(function, []).append(Overload(params, result, method))


_NUMBERS = (INT, UINT, DOUBLE)
_ORDERED = (INT, UINT, DOUBLE, STRING, BYTES, BOOL, TIMESTAMP, DURATION)
_TIMESTAMP_GETTERS = (
    "getFullYear", "getMonth", "getDayOfYear", "getDayOfMonth", "getDate", "getDayOfWeek",
    "getHours", "getMinutes", "getSeconds", "getMilliseconds",
)  # fmt: skip
_DURATION_GETTERS = ("getHours", "getMinutes", "getSeconds", "getMilliseconds")
_CONVERSIONS = {
    "timestamp": (TIMESTAMP, (STRING, TIMESTAMP, INT)),
    "duration": (DURATION, (STRING, DURATION)),
    "int": (INT, (INT, UINT, DOUBLE, STRING, TIMESTAMP)),
    "uint": (UINT, (INT, UINT, DOUBLE, STRING)),
    "double": (DOUBLE, (INT, UINT, DOUBLE, STRING)),
    "string": (STRING, _ORDERED),
    "bytes": (BYTES, (STRING, BYTES)),
    "bool": (BOOL, (BOOL, STRING)),
}


def _add_operators(table: _Table) -> None:
    table.add("!_", (BOOL,), BOOL)
    table.add("-_", (INT,), INT)
    table.add("-_", (DOUBLE,), DOUBLE)
    for logical in ("_&&_", "_||_"):
        table.add(logical, (BOOL, BOOL), BOOL)
    for equality in ("_==_", "_!=_"):
        table.add(equality, (_A, _A), BOOL)
    for ordering in ("_<_", "_<=_", "_>_", "_>=_"):
        for kind in _ORDERED:
            table.add(ordering, (kind, kind), BOOL)
    for kind in (*_NUMBERS, STRING, BYTES, list_of(_A), DURATION):
        table.add("_+_", (kind, kind), kind)
    table.add("_+_", (TIMESTAMP, DURATION), TIMESTAMP)
    table.add("_+_", (DURATION, TIMESTAMP), TIMESTAMP)
    for kind in (*_NUMBERS, DURATION):
        table.add("_-_", (kind, kind), kind)
    table.add("_-_", (TIMESTAMP, TIMESTAMP), DURATION)
    table.add("_-_", (TIMESTAMP, DURATION), TIMESTAMP)
    for kind in _NUMBERS:
        table.add("_*_", (kind, kind), kind)
        table.add("_/_", (kind, kind), kind)
    for kind in (INT, UINT):
        table.add("_%_", (kind, kind), kind)
    table.add("@in", (_A, list_of(_A)), BOOL)
    table.add("@in", (_A, map_of(_A, _B)), BOOL)
    table.add("_?_:_", (BOOL, _A, _A), _A)
    table.add("_[_]", (list_of(_A), INT), _A)
    table.add("_[_]", (map_of(_A, _B), _A), _B)


def _add_functions(table: _Table) -> None:
    for sized in (STRING, BYTES, list_of(_A), map_of(_A, _B)):
        table.add("size", (sized,), INT)
        table.add("size", (sized,), INT, method=True)
    for method in ("contains", "startsWith", "endsWith", "matches"):
        table.add(method, (STRING, STRING), BOOL, method=True)
    table.add("matches", (STRING, STRING), BOOL)
    for function, (result, sources) in _CONVERSIONS.items():
        for source in sources:
            table.add(function, (source,), result)
    table.add("dyn", (_A,), DYN)
    table.add("type", (_A,), type_of(_A))
    for getter in _TIMESTAMP_GETTERS:
        table.add(getter, (TIMESTAMP,), INT, method=True)
        table.add(getter, (TIMESTAMP, STRING), INT, method=True)
    for getter in _DURATION_GETTERS:
        table.add(getter, (DURATION,), INT, method=True)
    table.add("now", (), INT)
