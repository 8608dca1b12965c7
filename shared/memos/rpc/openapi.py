"""The OpenAPI 3.0.3 document of the REST API, built from the descriptors and the route table.

One operation per route: ``operationId`` ``<Service>_<Method>``, tagged with the service's short
name. Paths use :func:`memos.rpc.http_rules.simple_path`: each wildcard segment of a template is
its own path parameter named after the collection before it, so
``/api/v1/{name=users/*/settings/*}`` is documented as ``/api/v1/users/{user}/settings/{setting}``
(two parameters; the request field ``name`` is the whole matched text). Custom verbs stay in
the path (``/api/v1/users/{user}:getStats``), which OpenAPI allows.

Schemas follow the proto3 JSON mapping the gateway speaks: lowerCamelCase names, 64-bit integers
and bytes as strings, Timestamp as ``date-time``, Duration and FieldMask as strings, Struct and
Value as free-form JSON, maps as ``additionalProperties``, enums as string enums. Messages and
enums of the API live in ``components.schemas`` under their name without the package
(``Memo``, ``User.Role``); well-known types are inlined. Query parameters are listed by their
JSON names (``pageSize``, nested with dots); the gateway also accepts the proto names. The error
body is ``google.rpc.Status``: ``{"code", "message", "details"}``.
"""

from __future__ import annotations

import json
from functools import cache
from typing import TYPE_CHECKING, Any

from google.protobuf.descriptor import FieldDescriptor

from memos.rpc.http_rules import all_routes, parameter_names, simple_path

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from google.protobuf.descriptor import Descriptor, EnumDescriptor, MethodDescriptor

    from memos.rpc.http_rules import HttpRoute

OPENAPI_VERSION = "3.0.3"
ERROR_SCHEMA = "google.rpc.Status"
SECURITY_SCHEME = "bearerAuth"
HTTP_BODY_TYPE = "google.api.HttpBody"
_MAX_QUERY_DEPTH = 3

Schema = dict[str, Any]

_SCALARS: dict[int, Schema] = {
    FieldDescriptor.TYPE_DOUBLE: {"type": "number", "format": "double"},
    FieldDescriptor.TYPE_FLOAT: {"type": "number", "format": "float"},
    FieldDescriptor.TYPE_INT64: {"type": "string", "format": "int64"},
    FieldDescriptor.TYPE_UINT64: {"type": "string", "format": "uint64"},
    FieldDescriptor.TYPE_SINT64: {"type": "string", "format": "int64"},
    FieldDescriptor.TYPE_FIXED64: {"type": "string", "format": "uint64"},
    FieldDescriptor.TYPE_SFIXED64: {"type": "string", "format": "int64"},
    FieldDescriptor.TYPE_INT32: {"type": "integer", "format": "int32"},
    FieldDescriptor.TYPE_SINT32: {"type": "integer", "format": "int32"},
    FieldDescriptor.TYPE_SFIXED32: {"type": "integer", "format": "int32"},
    FieldDescriptor.TYPE_UINT32: {"type": "integer", "format": "int64", "minimum": 0},
    FieldDescriptor.TYPE_FIXED32: {"type": "integer", "format": "int64", "minimum": 0},
    FieldDescriptor.TYPE_BOOL: {"type": "boolean"},
    FieldDescriptor.TYPE_STRING: {"type": "string"},
    FieldDescriptor.TYPE_BYTES: {"type": "string", "format": "byte"},
}

_WELL_KNOWN: dict[str, Schema] = {
    "google.protobuf.Timestamp": {"type": "string", "format": "date-time"},
    "google.protobuf.Duration": {"type": "string", "example": "3.5s"},
    "google.protobuf.FieldMask": {"type": "string", "example": "content,visibility"},
    "google.protobuf.Struct": {"type": "object", "additionalProperties": True},
    "google.protobuf.Value": {},
    "google.protobuf.ListValue": {"type": "array", "items": {}},
    "google.protobuf.Empty": {"type": "object"},
    "google.protobuf.Any": {
        "type": "object",
        "properties": {"@type": {"type": "string"}},
        "additionalProperties": True,
    },
    "google.protobuf.DoubleValue": {"type": "number", "format": "double", "nullable": True},
    "google.protobuf.FloatValue": {"type": "number", "format": "float", "nullable": True},
    "google.protobuf.Int64Value": {"type": "string", "format": "int64", "nullable": True},
    "google.protobuf.UInt64Value": {"type": "string", "format": "uint64", "nullable": True},
    "google.protobuf.Int32Value": {"type": "integer", "format": "int32", "nullable": True},
    "google.protobuf.UInt32Value": {"type": "integer", "format": "int64", "nullable": True},
    "google.protobuf.BoolValue": {"type": "boolean", "nullable": True},
    "google.protobuf.StringValue": {"type": "string", "nullable": True},
    "google.protobuf.BytesValue": {"type": "string", "format": "byte", "nullable": True},
    HTTP_BODY_TYPE: {"type": "string", "format": "binary"},
}

_QUERY_LEAF_TYPES = frozenset(
    {"google.protobuf.Timestamp", "google.protobuf.Duration", "google.protobuf.FieldMask"}
    | {name for name in _WELL_KNOWN if name.endswith("Value") and name != "google.protobuf.Value"}
)


def schema_name(full_name: str, package: str) -> str:
    """Component name of a message or enum: its full name without the package."""
    prefix = package + "."
    return full_name[len(prefix) :] if package and full_name.startswith(prefix) else full_name


class _SchemaBuilder:
    """Collects component schemas for every message and enum reached from the operations."""

    def __init__(self) -> None:
        self.schemas: dict[str, Schema] = {}

    def ref(self, name: str) -> Schema:
        return {"$ref": f"#/components/schemas/{name}"}

    def message(self, descriptor: Descriptor) -> Schema:
        if descriptor.full_name in _WELL_KNOWN:
            return dict(_WELL_KNOWN[descriptor.full_name])
        name = schema_name(descriptor.full_name, descriptor.file.package)
        if name not in self.schemas:
            self.schemas[name] = {}  # placeholder first: messages may refer to themselves
            properties = {field.json_name: self.field(field) for field in descriptor.fields}
            self.schemas[name] = {"type": "object", "properties": properties}
        return self.ref(name)

    def enum(self, descriptor: EnumDescriptor) -> Schema:
        name = schema_name(descriptor.full_name, descriptor.file.package)
        if name not in self.schemas:
            values = [value.name for value in descriptor.values]
            self.schemas[name] = {"type": "string", "enum": values}
        return self.ref(name)

    def single(self, field: FieldDescriptor) -> Schema:
        if field.message_type is not None:
            return self.message(field.message_type)
        if field.enum_type is not None:
            return self.enum(field.enum_type)
        return dict(_SCALARS[field.type])

    def field(self, field: FieldDescriptor) -> Schema:
        message_type = field.message_type
        if message_type is not None and message_type.GetOptions().map_entry:
            value = self.single(message_type.fields_by_name["value"])
            return {"type": "object", "additionalProperties": value}
        if field.is_repeated:
            return {"type": "array", "items": self.single(field)}
        return self.single(field)


def _path_parameters(route: HttpRoute) -> list[Schema]:
    names = iter(parameter_names(route))
    parameters: list[Schema] = []
    for variable in route.matcher.variables:
        pattern_parts = route.matcher.segments[variable.start : variable.end]
        shown = [("{" + next(names) + "}") if p in ("*", "**") else p for p in pattern_parts]
        for part in shown:
            if part.startswith("{"):
                parameters.append(
                    {
                        "name": part.strip("{}"),
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                        "description": (
                            f"Part of the request field `{variable.field_path}`, "
                            f"which is `{'/'.join(shown)}`."
                        ),
                    }
                )
    return parameters


def _query_parameters(
    route: HttpRoute, descriptor: Descriptor, builder: _SchemaBuilder
) -> list[Schema]:
    parameters: list[Schema] = []

    def walk(message: Descriptor, prefix: str, shown_prefix: str, depth: int) -> None:
        for field in message.fields:
            path = prefix + field.name
            shown = shown_prefix + field.json_name
            if route.binds(path):
                continue
            nested = field.message_type
            if nested is not None and nested.GetOptions().map_entry:
                continue  # maps cannot be set from the query string
            if nested is not None and nested.full_name not in _QUERY_LEAF_TYPES:
                if (
                    not field.is_repeated
                    and depth < _MAX_QUERY_DEPTH
                    and not nested.full_name.startswith("google.protobuf.")
                ):
                    walk(nested, path + ".", shown + ".", depth + 1)
                continue
            parameter: Schema = {"name": shown, "in": "query", "schema": builder.field(field)}
            if field.is_repeated:
                parameter.update(style="form", explode=True)
            parameters.append(parameter)

    walk(descriptor, "", "", 0)
    return parameters


def _operation(
    route: HttpRoute, method_descriptor: MethodDescriptor, builder: _SchemaBuilder
) -> Schema:
    short_service = route.service.rsplit(".", 1)[-1]
    request: Descriptor = method_descriptor.input_type
    response: Descriptor = method_descriptor.output_type
    parameters = _path_parameters(route)
    parameters += _query_parameters(route, request, builder)
    operation: Schema = {
        "operationId": f"{short_service}_{route.method}",
        "tags": [short_service],
        "summary": route.method,
        "parameters": parameters,
        "responses": {
            "200": _success_response(route, response, builder),
            "default": {
                "description": "An error",
                "content": {"application/json": {"schema": builder.ref(ERROR_SCHEMA)}},
            },
        },
    }
    if route.body:
        body_schema = (
            builder.message(request)
            if route.body == "*"
            else builder.field(request.fields_by_name[route.body])
        )
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": body_schema}},
        }
    return operation


def _success_response(route: HttpRoute, response: Descriptor, builder: _SchemaBuilder) -> Schema:
    if response.full_name == HTTP_BODY_TYPE:
        return {
            "description": "Raw content; its type is the Content-Type header",
            "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
        }
    if route.response_body:
        schema = builder.field(response.fields_by_name[route.response_body])
    else:
        schema = builder.message(response)
    return {"description": "OK", "content": {"application/json": {"schema": schema}}}


def _error_schema() -> Schema:
    return {
        "type": "object",
        "properties": {
            "code": {"type": "integer", "format": "int32", "description": "gRPC status code"},
            "message": {"type": "string"},
            "details": {"type": "array", "items": {"type": "object"}},
        },
        "required": ["code", "message", "details"],
    }


def build_openapi(
    routes: Iterable[HttpRoute], methods: Mapping[str, MethodDescriptor]
) -> dict[str, Any]:
    """The document for ``routes``; ``methods`` maps a procedure to its MethodDescriptor."""
    builder = _SchemaBuilder()
    builder.schemas[ERROR_SCHEMA] = _error_schema()
    paths: dict[str, dict[str, Schema]] = {}
    tags: dict[str, None] = {}
    for route in routes:
        operation = _operation(route, methods[route.procedure], builder)
        tags.setdefault(operation["tags"][0])
        paths.setdefault(simple_path(route), {})[route.verb.lower()] = operation
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "Memos API",
            "version": "v1",
            "description": (
                "REST transcoding of the memos.api.v1 services. Authenticate with "
                "`Authorization: Bearer <access token or personal access token>`."
            ),
        },
        "tags": [{"name": name} for name in tags],
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": dict(sorted(builder.schemas.items())),
            "securitySchemes": {SECURITY_SCHEME: {"type": "http", "scheme": "bearer"}},
        },
        "security": [{SECURITY_SCHEME: []}, {}],
    }


def _method_descriptors(routes: Iterable[HttpRoute]) -> dict[str, MethodDescriptor]:
    from google.protobuf import descriptor_pool  # noqa: PLC0415 - the routes loaded the pool

    pool = descriptor_pool.Default()
    return {
        route.procedure: pool.FindMethodByName(f"{route.service}.{route.method}")
        for route in routes
    }


@cache
def openapi_document() -> dict[str, Any]:
    """The document of every route of the API (built once), the REST extensions included."""
    routes = all_routes()
    document = build_openapi(routes, _method_descriptors(routes))
    _add_extensions(document)
    return document


def _add_extensions(document: dict[str, Any]) -> None:
    """Add the routes beyond the proto (:mod:`memos.rpc.openapi_extensions`)."""
    from memos.rpc.openapi_extensions import EXTENSION_PATHS, EXTENSION_SCHEMAS  # noqa: PLC0415

    document["paths"] = dict(sorted({**document["paths"], **EXTENSION_PATHS}.items()))
    schemas = document["components"]["schemas"]
    document["components"]["schemas"] = dict(sorted({**schemas, **EXTENSION_SCHEMAS}.items()))


@cache
def openapi_json() -> bytes:
    return json.dumps(openapi_document(), ensure_ascii=False, indent=1).encode("utf-8")
