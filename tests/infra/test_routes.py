"""The route plan: from the descriptors and the public-method table, nothing written twice."""

from __future__ import annotations

import re

import pytest

from functions.attachment import uploads
from infra.routes import (
    CUSTOM_METHOD_PARAMETER,
    DOCUMENT_ROUTES,
    EXTENSION_ROUTES,
    RoutePlanError,
    gateway_rest_path,
    planned_routes,
    rest_routes,
)
from infra.services import SERVICE_FUNCTIONS, function_for_service
from memos.auth.public_methods import PUBLIC_PROCEDURES, is_public
from memos.rpc import docs
from memos.rpc.http_rules import (
    HttpRoute,
    all_routes,
    load_service_descriptors,
    parse_template,
)


def _procedures() -> list[tuple[str, str]]:
    return [
        (service.full_name, f"/{service.full_name}/{method.name}")
        for service in load_service_descriptors()
        for method in service.methods
    ]


def _route(procedure: str, verb: str, template: str) -> HttpRoute:
    service, method = procedure.strip("/").split("/")
    return HttpRoute(
        procedure=procedure,
        service=service,
        method=method,
        verb=verb,
        template=template,
        body="",
        response_body="",
        matcher=parse_template(template),
    )


def test_every_method_has_a_connect_route_to_its_service_function() -> None:
    by_key = {route.key: route for route in planned_routes()}

    for service, procedure in _procedures():
        route = by_key[f"POST {procedure}"]
        assert route.function == function_for_service(service).key
        assert route.authorized is not is_public(procedure)


def test_every_rest_binding_has_a_gateway_route_to_its_service_function() -> None:
    by_key = {route.key: route for route in planned_routes()}

    for http_route in all_routes():
        route = by_key[f"{http_route.verb} {gateway_rest_path(http_route)}"]
        assert http_route.procedure in route.procedures
        assert route.function == function_for_service(http_route.service).key


def test_search_users_and_get_user_avatar_are_routed_on_both_protocols() -> None:
    planned = planned_routes()

    for method in ("SearchUsers", "GetUserAvatar"):
        procedure = f"/memos.api.v1.UserService/{method}"
        kinds = {route.kind for route in planned if procedure in route.procedures}
        assert kinds == {"connect", "rest"}
        assert all(r.function == "user" for r in planned if procedure in r.procedures)


def test_public_routes_carry_no_authorizer_and_all_protected_ones_do() -> None:
    for route in planned_routes():
        if route.kind == "http":
            assert not route.authorized
        elif route.kind == "extension":
            assert route.authorized, route.key
        elif all(is_public(p) for p in route.procedures):
            assert not route.authorized, route.key
        elif not any(is_public(p) for p in route.procedures):
            assert route.authorized, route.key


def test_every_public_procedure_is_reachable_without_the_authorizer() -> None:
    open_procedures = {p for r in planned_routes() if not r.authorized for p in r.procedures}

    assert open_procedures >= PUBLIC_PROCEDURES


def test_a_custom_verb_after_a_variable_shares_the_route_of_the_variable() -> None:
    get_user = _route("/memos.api.v1.UserService/GetUser", "GET", "/api/v1/{name=users/*}")
    get_stats = _route(
        "/memos.api.v1.UserService/GetUserStats", "GET", "/api/v1/{name=users/*}:getStats"
    )

    (route,) = rest_routes([get_user, get_stats])

    assert route.key == "GET /api/v1/users/{user}"
    assert route.procedures == (get_user.procedure, get_stats.procedure)
    assert not route.authorized  # both public


def test_a_shared_route_whose_methods_disagree_is_left_to_the_functions_own_auth() -> None:
    public = _route("/memos.api.v1.UserService/GetUser", "GET", "/api/v1/{name=users/*}")
    protected = _route(
        "/memos.api.v1.UserService/ListUserSettings", "GET", "/api/v1/{name=users/*}:settings"
    )

    (route,) = rest_routes([public, protected])

    assert not route.authorized


def test_a_shared_route_of_protected_methods_only_keeps_the_authorizer() -> None:
    first = _route("/memos.api.v1.UserService/ListUsers", "GET", "/api/v1/{name=users/*}")
    second = _route(
        "/memos.api.v1.UserService/ListUserSettings", "GET", "/api/v1/{name=users/*}:settings"
    )

    (route,) = rest_routes([first, second])

    assert route.authorized


def test_two_services_on_one_route_key_are_refused() -> None:
    users = _route("/memos.api.v1.UserService/GetUser", "GET", "/api/v1/{name=users/*}")
    memos = _route("/memos.api.v1.MemoService/GetMemo", "GET", "/api/v1/{name=users/*}:memo")

    with pytest.raises(RoutePlanError, match="one API Gateway route has one integration"):
        rest_routes([users, memos])


def test_a_custom_verb_after_a_literal_becomes_a_parameter_segment() -> None:
    search = _route("/memos.api.v1.UserService/SearchUsers", "GET", "/api/v1/users:search")

    assert gateway_rest_path(search) == f"/api/v1/{CUSTOM_METHOD_PARAMETER}"


def test_no_route_key_has_a_colon_in_a_literal_segment() -> None:
    for route in planned_routes():
        for segment in route.path.split("/"):
            assert ":" not in segment or segment.startswith("{"), route.key


def test_route_keys_are_unique_and_fit_in_one_stack() -> None:
    keys = [route.key for route in planned_routes()]

    assert len(keys) == len(set(keys))
    assert len(keys) < 300  # routes are resources; a stack holds at most 500


def test_the_document_routes_are_the_paths_the_app_serves() -> None:
    paths = {path for _, path, _ in DOCUMENT_ROUTES}

    assert {docs.OPENAPI_PATH, docs.DOCS_PATH} <= paths
    assert docs.ASSETS_PREFIX.rstrip("/").startswith(docs.DOCS_PATH)


def test_every_service_function_serves_routes() -> None:
    served = {route.function for route in planned_routes()}

    assert served == {spec.key for spec in SERVICE_FUNCTIONS}


def test_direct_uploads_go_to_the_attachment_function_behind_the_authorizer() -> None:
    # Given the plan
    by_key = {route.key: route for route in planned_routes()}

    # When the two upload extensions are looked up
    start = by_key["POST /api/v1/attachment-uploads"]
    finalize = by_key["POST /api/v1/attachment-uploads/{uploadId}/finalize"]

    # Then both reach the attachment function, and only signed-in callers get through
    for route in (start, finalize):
        assert route.function == "attachment"
        assert route.authorized
        assert route.kind == "extension"
    assert {(verb, path) for verb, path, _ in EXTENSION_ROUTES} == {
        ("POST", "/api/v1/attachment-uploads"),
        ("POST", "/api/v1/attachment-uploads/{uploadId}/finalize"),
    }


def test_the_upload_extensions_take_no_path_of_a_proto_rest_route() -> None:
    rest_keys = {f"{r.verb} {gateway_rest_path(r)}" for r in all_routes()}

    for verb, path, _ in EXTENSION_ROUTES:
        assert f"{verb} {path}" not in rest_keys


def _shape(path: str) -> str:
    """A path with its variables' names dropped (API Gateway and the function may differ)."""
    return re.sub(r"\{[^}]+\}", "{}", path)


def test_the_upload_extensions_are_the_routes_the_attachment_function_declares() -> None:
    # Given the extension routes the attachment function serves
    declared = {("POST", _shape(path)) for path in (uploads.START_PATH, uploads.FINALIZE_PATH)}
    procedures = [
        f"/memos.api.v1.{uploads.SERVICE}/{name}"
        for name in (uploads.START_METHOD, uploads.FINALIZE_METHOD)
    ]

    # Then the gateway routes exactly those to it, and neither is public (the function's own
    # auth would refuse an anonymous caller too, so the authorizer decides nothing new)
    assert {(verb, _shape(path)) for verb, path, _ in EXTENSION_ROUTES} == declared
    assert not any(is_public(procedure) for procedure in procedures)


def test_file_routes_answer_head_as_well_as_get_without_the_authorizer() -> None:
    # Given
    by_key = {route.key: route for route in planned_routes()}

    # When / Then
    for path, function in (
        ("/file/users/{user}/avatar", "user"),
        ("/file/attachments/{proxy+}", "attachment"),
    ):
        for verb in ("GET", "HEAD"):
            route = by_key[f"{verb} {path}"]
            assert route.function == function
            assert not route.authorized
