"""The fields a filter may name, per schema: their CEL type and what may be done with them.

``kind`` says how a field is matched: ``scalar`` (compare, ``in [..]``), ``bool`` (bare or
``== bool``), ``list`` (``tags``: membership, ``size``, ``exists``) or ``tag_alias`` (``tag``,
only ``tag in [..]``, hierarchical). ``value_type`` is the type literals are converted to;
``timestamp`` fields (Unix seconds) compare like ints but take no ``in [..]``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal, NamedTuple

if TYPE_CHECKING:
    from memos.filters.ir import Operator

FieldKind = Literal["scalar", "bool", "list", "tag_alias"]
ValueType = Literal["string", "int", "timestamp", "bool"]
CelTypeName = Literal["string", "int", "bool", "list(string)", "dyn"]

ALL_OPERATORS: frozenset[Operator] = frozenset(("==", "!=", "<", "<=", ">", ">="))
EQUALITY: frozenset[Operator] = frozenset(("==", "!="))


class FieldSpec(NamedTuple):
    name: str
    cel_type: CelTypeName
    kind: FieldKind
    value_type: ValueType
    operators: frozenset[Operator] = ALL_OPERATORS
    supports_contains: bool = False

    @property
    def supports_in(self) -> bool:
        return (self.kind == "scalar" and self.value_type != "timestamp") or (
            self.kind == "tag_alias"
        )


Schema = Mapping[str, FieldSpec]


def _schema(*fields: FieldSpec) -> Schema:
    return MappingProxyType({field.name: field for field in fields})


def _flag(name: str) -> FieldSpec:
    return FieldSpec(name, "bool", "bool", "bool", EQUALITY)


MEMO_SCHEMA: Schema = _schema(
    FieldSpec("content", "string", "scalar", "string", supports_contains=True),
    FieldSpec("creator_id", "int", "scalar", "int", EQUALITY),
    FieldSpec("created_ts", "int", "scalar", "timestamp"),
    FieldSpec("updated_ts", "int", "scalar", "timestamp"),
    _flag("pinned"),
    FieldSpec("visibility", "string", "scalar", "string", EQUALITY),
    FieldSpec("tags", "list(string)", "list", "string"),
    FieldSpec("tag", "string", "tag_alias", "string"),
    _flag("has_link"),
    _flag("has_task_list"),
    _flag("has_code"),
    _flag("has_incomplete_tasks"),
)

ATTACHMENT_SCHEMA: Schema = _schema(
    FieldSpec("filename", "string", "scalar", "string", supports_contains=True),
    FieldSpec("mime_type", "string", "scalar", "string"),
    FieldSpec("create_time", "int", "scalar", "timestamp"),
    FieldSpec("memo_id", "dyn", "scalar", "int", EQUALITY),
)
