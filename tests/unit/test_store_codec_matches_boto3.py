"""The store's own attribute-value codec encodes and decodes exactly as boto3's did."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal, Inexact
from typing import Any

import pytest
from boto3.dynamodb.types import Binary, TypeDeserializer, TypeSerializer

from memos.store.codec import from_item, serialize, to_item

VALUES: list[Any] = [
    None,
    True,
    False,
    0,
    -7,
    2**63,
    1.5,
    0.1,
    1e20,
    -2.5e-7,
    Decimal("12.50"),
    "",
    "héllo",
    b"",
    b"\x00\xff",
    bytearray(b"ab"),
    [1, "a", None, [2.25]],
    (1, 2),
    {"a": {"b": [True, b"x"]}, 3: "int key"},
    {"tags"},
    {1, 2.5},
    {b"x", b"y"},
]


def _boto3_serialize(value: Any) -> Any:
    def prepare(inner: Any) -> Any:
        if isinstance(inner, float):
            return Decimal(repr(inner))
        if isinstance(inner, dict):
            return {str(key): prepare(item) for key, item in inner.items()}
        if isinstance(inner, list | tuple):
            return [prepare(item) for item in inner]
        if isinstance(inner, set) and any(isinstance(item, float) for item in inner):
            return {prepare(item) for item in inner}
        return inner

    return TypeSerializer().serialize(prepare(value))


def _boto3_plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, Binary):
        return getattr(value, "value")  # noqa: B009 - the stubs omit the attribute
    if isinstance(value, dict):
        return {key: _boto3_plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_boto3_plain(item) for item in value]
    if isinstance(value, set):
        return {getattr(item, "value", item) for item in value}
    return value


def _sorted_sets(encoded: Any) -> Any:
    if isinstance(encoded, dict):
        return {
            key: sorted(item) if key in {"SS", "NS", "BS"} else _sorted_sets(item)
            for key, item in encoded.items()
        }
    if isinstance(encoded, list):
        return [_sorted_sets(item) for item in encoded]
    return encoded


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_encoding_matches_boto3(value: Any) -> None:
    # Given a plain value / When it is encoded by both codecs / Then the attribute values agree
    assert _sorted_sets(serialize(value)) == _sorted_sets(_boto3_serialize(value))


@pytest.mark.parametrize(
    "value", [value for value in VALUES if not isinstance(value, bytearray)], ids=repr
)
def test_decoding_matches_boto3(value: Any) -> None:
    # Given an attribute value as DynamoDB returns it
    raw = _boto3_serialize(value)

    # When it is decoded by both codecs
    ours = from_item({"v": raw})["v"]
    theirs = _boto3_plain(TypeDeserializer().deserialize(raw))

    # Then the plain values agree, type included
    assert ours == theirs
    assert type(ours) is type(theirs)


def test_none_values_are_left_out_of_items() -> None:
    assert to_item({"a": 1, "b": None}) == {"a": {"N": "1"}}


def test_a_number_dynamodb_cannot_hold_exactly_is_refused() -> None:
    with pytest.raises(Inexact):
        serialize(Decimal("1." + "1" * 40))


@pytest.mark.parametrize("value", [object(), set(), {1, "a"}], ids=repr)
def test_values_without_an_attribute_type_are_refused(value: Any) -> None:
    with pytest.raises(TypeError):
        serialize(value)


def test_importing_the_codec_does_not_import_boto3() -> None:
    # Given a fresh interpreter / When the codec is imported / Then boto3 stays unloaded
    code = "import sys, memos.store.codec; print('boto3' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
