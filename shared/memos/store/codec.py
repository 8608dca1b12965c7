"""Plain Python values to DynamoDB attribute values and back.

Wraps boto3's ``TypeSerializer``/``TypeDeserializer`` so repositories read and write ints,
floats, strings, bools, bytes, lists and dicts. Numbers come back as ``int`` when integral,
else ``float``; binary values come back as ``bytes``; sets are not used by this table.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from boto3.dynamodb.types import Binary, TypeDeserializer, TypeSerializer

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import AttributeValueTypeDef

Item = dict[str, Any]
RawItem = dict[str, "AttributeValueTypeDef"]

_SERIALIZER = TypeSerializer()
_DESERIALIZER = TypeDeserializer()


def _to_dynamo(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, Mapping):
        return {str(key): _to_dynamo(inner) for key, inner in value.items()}
    if isinstance(value, list | tuple):
        return [_to_dynamo(inner) for inner in value]
    return value


def _from_dynamo(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, Binary):
        raw: bytes = getattr(value, "value")  # noqa: B009 - the stubs omit the attribute
        return raw
    if isinstance(value, dict):
        return {key: _from_dynamo(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [_from_dynamo(inner) for inner in value]
    return value


def serialize(value: Any) -> AttributeValueTypeDef:
    """One plain value as a DynamoDB attribute value (``{"S": ...}``, ``{"N": ...}``, ...)."""
    return _SERIALIZER.serialize(_to_dynamo(value))


def to_item(values: Mapping[str, Any]) -> RawItem:
    """A plain mapping as a DynamoDB item; ``None`` values are left out."""
    return {name: serialize(value) for name, value in values.items() if value is not None}


def from_item(item: Mapping[str, AttributeValueTypeDef]) -> Item:
    """A DynamoDB item as a plain dict."""
    return {name: _from_dynamo(_DESERIALIZER.deserialize(value)) for name, value in item.items()}
