"""Plain Python values to DynamoDB attribute values and back.

Repositories read and write ints, floats, strings, bools, bytes, lists and dicts. Numbers come back
as ``int`` when integral, else ``float``; binary values come back as ``bytes``. Sets are written as
``SS``/``NS``/``BS`` and read back as sets (numbers in a set stay ``Decimal``), though this table
uses none.

The encoding is our own rather than ``boto3.dynamodb.types``: importing that module imports the
whole of boto3, and boto3 imports s3transfer and multiprocessing, which no function needs (see
``docs/decisions.md``). Numbers go through the same decimal context DynamoDB (and boto3) use: 38
significant digits, and a number that would be rounded is refused rather than altered.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from decimal import Clamped, Context, Decimal, Inexact, Overflow, Rounded, Underflow
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import AttributeValueTypeDef

Item = dict[str, Any]
RawItem = dict[str, "AttributeValueTypeDef"]

# DynamoDB's number range and precision; any loss of digits is an error, never a silent rounding.
NUMBER_CONTEXT: Final = Context(
    Emin=-128, Emax=126, prec=38, traps=[Clamped, Overflow, Inexact, Rounded, Underflow]
)


def serialize(value: Any) -> AttributeValueTypeDef:
    """One plain value as a DynamoDB attribute value (``{"S": ...}``, ``{"N": ...}``, ...)."""
    encoded: Any = _encode(value)
    return encoded  # type: ignore[no-any-return]  # a union of one-key dicts, built by hand


def to_item(values: Mapping[str, Any]) -> RawItem:
    """A plain mapping as a DynamoDB item; ``None`` values are left out."""
    return {name: serialize(value) for name, value in values.items() if value is not None}


def from_item(item: Mapping[str, AttributeValueTypeDef]) -> Item:
    """A DynamoDB item as a plain dict."""
    return {name: _decode(value) for name, value in item.items()}


def _number(value: int | float | Decimal) -> str:
    if isinstance(value, float):
        value = Decimal(repr(value))
    return str(NUMBER_CONTEXT.create_decimal(value))


def _encode(value: Any) -> dict[str, Any]:  # noqa: PLR0911 - one return per attribute type
    if value is None:
        return {"NULL": True}
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, int | float | Decimal):
        return {"N": _number(value)}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, bytes | bytearray):
        return {"B": bytes(value)}
    if isinstance(value, Mapping):
        return {"M": {str(key): _encode(inner) for key, inner in value.items()}}
    if isinstance(value, list | tuple):
        return {"L": [_encode(inner) for inner in value]}
    if isinstance(value, Set):
        return _encode_set(value)
    raise TypeError(f"unsupported type {type(value).__name__} for a DynamoDB attribute value")


def _encode_set(values: Set[Any]) -> dict[str, Any]:
    if values and all(isinstance(value, str) for value in values):
        return {"SS": list(values)}
    if values and all(_is_number(value) for value in values):
        return {"NS": [_number(value) for value in values]}
    if values and all(isinstance(value, bytes | bytearray) for value in values):
        return {"BS": [bytes(value) for value in values]}
    raise TypeError("a DynamoDB set must be non-empty and hold only strings, numbers or bytes")


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _plain_number(text: str) -> int | float:
    number = NUMBER_CONTEXT.create_decimal(text)
    return int(number) if number == number.to_integral_value() else float(number)


def _decode(value: Mapping[str, Any]) -> Any:  # noqa: PLR0911 - one return per attribute type
    if len(value) != 1:
        raise TypeError("a DynamoDB attribute value has exactly one type key")
    ((kind, inner),) = value.items()
    if kind == "S":
        return inner
    if kind == "N":
        return _plain_number(inner)
    if kind == "BOOL":
        return bool(inner)
    if kind == "NULL":
        return None
    if kind == "B":
        return bytes(inner)
    if kind == "M":
        return {key: _decode(item) for key, item in inner.items()}
    if kind == "L":
        return [_decode(item) for item in inner]
    if kind == "SS":
        return set(inner)
    if kind == "NS":
        return {NUMBER_CONTEXT.create_decimal(item) for item in inner}
    if kind == "BS":
        return {bytes(item) for item in inner}
    raise TypeError(f"unknown DynamoDB attribute type {kind!r}")
