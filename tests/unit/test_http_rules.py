"""The route table: template parsing, precedence, and the path forms for OpenAPI and API Gateway."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from memos.rpc.http_rules import (
    SERVICE_NAMES,
    HttpRoute,
    MethodNotAllowed,
    PathVariable,
    RouteMatch,
    Router,
    TemplateError,
    all_routes,
    api_gateway_path,
    api_gateway_route_keys,
    default_router,
    parse_template,
    simple_path,
)

REPO_ROOT = Path(__file__).resolve().parents[2]


def route(verb: str, template: str, method: str = "Method", body: str = "") -> HttpRoute:
    return HttpRoute(
        procedure=f"/test.v1.TestService/{method}",
        service="test.v1.TestService",
        method=method,
        verb=verb,
        template=template,
        body=body,
        response_body="",
        matcher=parse_template(template),
    )


def route_named(method: str) -> HttpRoute:
    return next(r for r in all_routes() if r.method == method)


# --- Parsing ----------------------------------------------------------------------------------


def test_template_with_pattern_variable_and_custom_verb_is_parsed() -> None:
    template = parse_template("/api/v1/{name=users/*}:getStats")
    assert template.segments == ("api", "v1", "users", "*")
    assert template.variables == (PathVariable("name", 2, 4),)
    assert template.verb == "getStats"


def test_bare_variable_is_one_segment() -> None:
    template = parse_template("/v1/{parent}/items")
    assert template.segments == ("v1", "*", "items")
    assert template.variables == (PathVariable("parent", 1, 2),)


def test_nested_field_path_and_multi_segment_pattern_are_parsed() -> None:
    template = parse_template("/api/v1/{setting.name=users/*/settings/*}")
    assert template.segments == ("api", "v1", "users", "*", "settings", "*")
    assert template.variables == (PathVariable("setting.name", 2, 6),)
    assert template.verb == ""


@pytest.mark.parametrize(
    "template",
    [
        "api/v1/users",  # no leading slash
        "/api/{name=users/*",  # unterminated variable
        "/api/{name=users/{id}}",  # nested variable
        "/api/{1name}",  # bad field path
        "/api/**/tail",  # ** not last
        "/api/{name}/{name}",  # field bound twice
        "/api/v1/users:",  # empty verb
        "/api/v1//users",  # empty segment
    ],
)
def test_malformed_templates_are_rejected(template: str) -> None:
    with pytest.raises(TemplateError):
        parse_template(template)


# --- Matching ---------------------------------------------------------------------------------


def test_variable_value_includes_the_literal_parts_of_its_pattern() -> None:
    matched = route("GET", "/api/v1/{name=users/*/settings/*}").match(
        "/api/v1/users/1/settings/GENERAL"
    )
    assert matched == {"name": "users/1/settings/GENERAL"}


def test_path_variables_are_percent_decoded() -> None:
    assert route("GET", "/v1/{name=memos/*}").match("/v1/memos/a%20b%3A1") == {
        "name": "memos/a b:1"
    }


def test_single_segment_wildcard_refuses_an_encoded_slash_and_empty_segments() -> None:
    memo = route("GET", "/v1/{name=memos/*}")
    assert memo.match("/v1/memos/a%2Fb") is None
    assert memo.match("/v1/memos/") is None


def test_double_star_captures_the_rest_of_the_path() -> None:
    files = route("GET", "/v1/{path=files/**}")
    assert files.match("/v1/files/a/b/c.txt") == {"path": "files/a/b/c.txt"}


def test_custom_verb_must_be_present_to_match() -> None:
    stats = route("GET", "/v1/{name=users/*}:getStats")
    assert stats.match("/v1/users/5:getStats") == {"name": "users/5"}
    assert stats.match("/v1/users/5") is None
    assert stats.match("/v1/users/5:other") is None


@pytest.mark.parametrize(
    ("verb", "path", "method", "variables"),
    [
        ("GET", "/api/v1/users:stats", "ListAllUserStats", {}),
        ("GET", "/api/v1/users:search", "SearchUsers", {}),
        ("GET", "/api/v1/users/5:getStats", "GetUserStats", {"name": "users/5"}),
        ("GET", "/api/v1/users/5", "GetUser", {"name": "users/5"}),
        ("GET", "/api/v1/users", "ListUsers", {}),
        ("GET", "/api/v1/users/5/avatar", "GetUserAvatar", {"name": "users/5"}),
        (
            "GET",
            "/api/v1/users/1/settings/GENERAL",
            "GetUserSetting",
            {"name": "users/1/settings/GENERAL"},
        ),
        ("PATCH", "/api/v1/memos/abc", "UpdateMemo", {"memo.name": "memos/abc"}),
        (
            "DELETE",
            "/api/v1/memos/abc/reactions/7",
            "DeleteMemoReaction",
            {"name": "memos/abc/reactions/7"},
        ),
        ("GET", "/api/v1/instance/settings/GENERAL", "GetInstanceSetting", {}),
    ],
)
def test_most_specific_route_wins(
    verb: str, path: str, method: str, variables: dict[str, str]
) -> None:
    result = default_router().match(verb, path)
    assert isinstance(result, RouteMatch)
    assert result.route.method == method
    if variables:
        assert result.variables == variables


def test_known_path_with_another_verb_is_method_not_allowed() -> None:
    result = default_router().match("PUT", "/api/v1/memos/abc")
    assert isinstance(result, MethodNotAllowed)
    assert result.allowed_verbs == ("DELETE", "GET", "PATCH")


def test_unknown_path_matches_nothing() -> None:
    assert default_router().match("GET", "/api/v1/xyz") is None
    assert default_router().match("GET", "/api/v1/users:unknownVerb") is None


def test_precedence_does_not_depend_on_declaration_order() -> None:
    routes = [route("GET", "/v1/{name=users/*}", "Get"), route("GET", "/v1/users/me", "Me")]
    for ordering in (routes, routes[::-1]):
        result = Router(ordering).match("GET", "/v1/users/me")
        assert isinstance(result, RouteMatch)
        assert result.route.method == "Me"


def test_two_routes_with_the_same_verb_and_shape_are_rejected() -> None:
    with pytest.raises(ValueError, match="ambiguous routes"):
        Router([route("GET", "/v1/{name=users/*}", "A"), route("GET", "/v1/users/{id}", "B")])


def test_path_and_body_fields_are_bound_and_body_star_binds_everything() -> None:
    update = route("PATCH", "/v1/{memo.name=memos/*}", body="memo")
    assert update.binds("memo")
    assert update.binds("memo.content")
    assert not update.binds("update_mask")
    assert route("POST", "/v1/things", body="*").binds("anything")


# --- The table --------------------------------------------------------------------------------


def test_all_routes_cover_the_eight_services_once_per_method() -> None:
    routes = all_routes()
    assert {r.service for r in routes} == set(SERVICE_NAMES)
    assert len({r.procedure for r in routes}) == len(routes)
    assert len(routes) >= 60
    assert all_routes() is routes  # cached


def test_route_records_its_rule() -> None:
    update = route_named("UpdateMemo")
    assert update.procedure == "/memos.api.v1.MemoService/UpdateMemo"
    assert update.verb == "PATCH"
    assert update.template == "/api/v1/{memo.name=memos/*}"
    assert update.body == "memo"
    assert update.path_fields == ("memo.name",)


def test_route_table_imports_without_connectrpc() -> None:
    code = (
        "import sys\n"
        "from memos.rpc.http_rules import all_routes\n"
        "assert all_routes()\n"
        "assert 'connectrpc' not in sys.modules, 'connectrpc imported'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        env={"PYTHONPATH": str(REPO_ROOT / "shared")},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


# --- Simple path forms ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "openapi", "api_gateway"),
    [
        ("GetUserStats", "/api/v1/users/{user}:getStats", "/api/v1/users/{user}"),
        ("ListAllUserStats", "/api/v1/users:stats", "/api/v1/users:stats"),
        (
            "GetUserSetting",
            "/api/v1/users/{user}/settings/{setting}",
            "/api/v1/users/{user}/settings/{setting}",
        ),
        (
            "GetIdentityProvider",
            "/api/v1/identity-providers/{identityProvider}",
            "/api/v1/identity-providers/{identityProvider}",
        ),
        ("GetActivity", "/api/v1/activities/{activity}", "/api/v1/activities/{activity}"),
        ("UpdateMemo", "/api/v1/memos/{memo}", "/api/v1/memos/{memo}"),
    ],
)
def test_templates_render_as_named_parameters(method: str, openapi: str, api_gateway: str) -> None:
    assert simple_path(route_named(method)) == openapi
    assert api_gateway_path(route_named(method)) == api_gateway


def test_double_star_renders_as_a_greedy_api_gateway_parameter() -> None:
    assert api_gateway_path(route("GET", "/v1/{path=files/**}")) == "/v1/files/{file+}"


def test_api_gateway_route_keys_are_distinct_and_never_share_a_segment_with_a_verb() -> None:
    keys = api_gateway_route_keys(all_routes())
    assert len(keys) == len(set(keys))
    assert "GET /api/v1/users/{user}" in keys
    assert not any("}:" in key for key in keys)
