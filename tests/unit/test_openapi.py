"""The OpenAPI document and the documentation pages built from the route table."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

import pytest

from memos.rpc.docs import ASSET_CONTENT_TYPES, DocsApp, docs_response
from memos.rpc.http_rules import all_routes
from memos.rpc.openapi import openapi_document, openapi_json
from memos.rpc.openapi_extensions import EXTENSION_PATHS

METHODS = ("get", "post", "patch", "delete", "put")


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, verb, operation)
        for path, item in openapi_document()["paths"].items()
        for verb, operation in item.items()
        if verb in METHODS
    ]


def operation(operation_id: str) -> dict[str, Any]:
    return next(op for _, _, op in operations() if op["operationId"] == operation_id)


def schema(name: str) -> dict[str, Any]:
    found: dict[str, Any] = openapi_document()["components"]["schemas"][name]
    return found


def refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if "$ref" in node else []
        return own + [ref for value in node.values() for ref in refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in refs(value)]
    return []


def test_document_has_one_operation_per_route_with_unique_ids() -> None:
    ids = [op["operationId"] for _, _, op in operations()]
    assert len(ids) == len(all_routes()) + len(EXTENSION_PATHS)
    assert len(set(ids)) == len(ids)
    assert "UserService_GetUserStats" in ids


def test_operations_are_tagged_with_the_service_short_name() -> None:
    assert operation("MemoService_ListMemos")["tags"] == ["MemoService"]
    tags = {tag["name"] for tag in openapi_document()["tags"]}
    assert "IdentityProviderService" in tags


def test_every_path_template_parameter_is_declared_and_required() -> None:
    for path, _, op in operations():
        in_path = set(re.findall(r"{([^}+]+)\+?}", path))
        declared = {p["name"] for p in op["parameters"] if p["in"] == "path"}
        assert in_path == declared, path
        assert all(p["required"] for p in op["parameters"] if p["in"] == "path")


def test_multi_segment_variable_becomes_one_parameter_per_wildcard() -> None:
    item = openapi_document()["paths"]["/api/v1/users/{user}/settings/{setting}"]
    names = [p["name"] for p in item["get"]["parameters"] if p["in"] == "path"]
    assert names == ["user", "setting"]


def test_custom_verb_stays_in_the_path() -> None:
    assert "get" in openapi_document()["paths"]["/api/v1/users/{user}:getStats"]


def test_query_parameters_skip_fields_bound_by_path_or_body() -> None:
    list_memos = {p["name"] for p in operation("MemoService_ListMemos")["parameters"]}
    assert {"pageSize", "pageToken", "state", "filter", "showDeleted"} <= list_memos
    update = [p["name"] for p in operation("MemoService_UpdateMemo")["parameters"]]
    assert update == ["memo", "updateMask"]  # path parameter, then the mask only


def test_body_rules_become_request_bodies() -> None:
    create = operation("MemoService_CreateMemo")["requestBody"]
    assert create["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Memo"}
    sign_in = operation("AuthService_SignIn")["requestBody"]["content"]["application/json"]
    assert sign_in["schema"] == {"$ref": "#/components/schemas/SignInRequest"}
    assert "requestBody" not in operation("MemoService_GetMemo")


def test_http_body_response_is_binary() -> None:
    ok = operation("UserService_GetUserAvatar")["responses"]["200"]
    assert ok["content"] == {"*/*": {"schema": {"type": "string", "format": "binary"}}}


def test_errors_share_the_rest_error_schema() -> None:
    default = operation("MemoService_GetMemo")["responses"]["default"]
    ref = default["content"]["application/json"]["schema"]["$ref"]
    error = schema(ref.rsplit("/", 1)[-1])
    assert set(error["properties"]) == {"code", "message", "details"}


def test_schemas_follow_the_proto3_json_mapping() -> None:
    memo = schema("Memo")["properties"]
    assert memo["displayTime"] == {"type": "string", "format": "date-time"}
    assert memo["tags"] == {"type": "array", "items": {"type": "string"}}
    assert memo["visibility"] == {"$ref": "#/components/schemas/Visibility"}
    assert schema("Visibility")["enum"][0] == "VISIBILITY_UNSPECIFIED"
    stats = schema("UserStats")["properties"]
    assert stats["tagCount"]["additionalProperties"] == {"type": "integer", "format": "int32"}


def test_every_reference_resolves() -> None:
    schemas = openapi_document()["components"]["schemas"]
    for ref in refs(openapi_document()):
        assert ref.startswith("#/components/schemas/")
        assert ref.removeprefix("#/components/schemas/") in schemas, ref


def test_document_declares_bearer_auth_and_is_cached_json() -> None:
    document = openapi_document()
    assert document["openapi"] == "3.0.3"
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert openapi_json() is openapi_json()
    assert json.loads(openapi_json()) == document


# --- Documentation pages ----------------------------------------------------------------------


def test_openapi_json_is_served() -> None:
    status, headers, body = docs_response("GET", "/api/v1/openapi.json")
    assert status == 200
    assert (b"content-type", b"application/json") in headers
    assert json.loads(body)["openapi"] == "3.0.3"


def test_docs_page_uses_local_assets_only() -> None:
    status, headers, body = docs_response("GET", "/api/docs")
    page = body.decode()
    assert status == 200
    assert (b"content-type", b"text/html; charset=utf-8") in headers
    assert "/api/docs/assets/swagger-ui-bundle.js" in page
    assert "/api/v1/openapi.json" in page
    assert "http://" not in page
    assert "https://" not in page


@pytest.mark.parametrize("name", sorted(ASSET_CONTENT_TYPES))
def test_known_assets_are_served_from_the_installed_bundle(name: str) -> None:
    status, headers, body = docs_response("GET", f"/api/docs/assets/{name}")
    assert status == 200
    assert (b"content-type", ASSET_CONTENT_TYPES[name]) in headers
    assert body


@pytest.mark.parametrize(
    "path",
    [
        "/api/docs/assets/../../../etc/passwd",
        "/api/docs/assets/%2e%2e/index.html",
        "/api/docs/assets/index.html",
        "/api/docs/assets/",
    ],
)
def test_unknown_asset_names_are_404(path: str) -> None:
    status, _, body = docs_response("GET", path)
    assert status == 404
    assert json.loads(body)["code"] == 5


def test_docs_reject_other_methods() -> None:
    status, headers, _ = docs_response("POST", "/api/docs")
    assert status == 405
    assert (b"allow", b"GET, HEAD") in headers


def test_docs_app_answers_head_without_a_body() -> None:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Any) -> None:
        sent.append(dict(message))

    scope = {"type": "http", "method": "HEAD", "path": "/api/docs", "headers": []}
    asyncio.run(DocsApp()(scope, receive, send))
    assert sent[0]["status"] == 200
    assert sent[1]["body"] == b""


def test_the_direct_upload_extension_is_documented_as_the_service_serves_it() -> None:
    # Given the attachment service's extension routes
    from functions.attachment.uploads import AttachmentUploads  # noqa: PLC0415
    from memos.config import Settings  # noqa: PLC0415
    from memos.store.memory import memory_stores  # noqa: PLC0415

    routes = AttachmentUploads(memory_stores(), Settings()).routes()

    # Then each is an operation of the document, at its path (variables in camelCase)
    paths = openapi_document()["paths"]
    for route in routes:
        path = route.template.replace("{upload_id}", "{uploadId}")
        documented = paths[path][route.verb.lower()]
        assert documented["operationId"] == f"{route.service}_{route.name}"
    started = operation("AttachmentService_StartAttachmentUpload")
    assert started["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/AttachmentUpload"
    }
