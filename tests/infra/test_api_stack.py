"""The API stack as synthesized: routes, authorizer, functions, IAM, logs, alarms, outputs."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk.assertions import Match, Template

from infra.context import DEFAULT_AUTHORIZER_CACHE_SECONDS
from infra.routes import planned_routes
from infra.services import (
    ALL_FUNCTIONS,
    API_FUNCTIONS,
    AUTHORIZER_FUNCTION,
    WEBHOOK_FUNCTIONS,
    BlobAccess,
)
from memos.auth.public_methods import is_public
from memos.config import ENV_ALLOW_LOOPBACK_IDENTITY_PROVIDERS, ENV_ALLOW_LOOPBACK_WEBHOOKS
from memos.rpc.http_rules import load_service_descriptors
from tests.infra.synth import Template as TemplateJson

REQUIRED_ENVIRONMENT = {
    "MEMOS_TABLE_NAME",
    "MEMOS_BUCKET_NAME",
    "MEMOS_CORS_ORIGINS",
    "MEMOS_STAGE",
    "MEMOS_LOG_LEVEL",
    "MEMOS_JWT_SECRET_NAME",
    "POWERTOOLS_SERVICE_NAME",
}


def _resources(template: TemplateJson, kind: str) -> dict[str, dict[str, Any]]:
    return {
        logical_id: resource
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] == kind
    }


def _handler_by_integration(template: TemplateJson) -> dict[str, str]:
    """Integration logical id -> the handler of the function it invokes."""
    functions = _resources(template, "AWS::Lambda::Function")
    result: dict[str, str] = {}
    for logical_id, integration in _resources(template, "AWS::ApiGatewayV2::Integration").items():
        function_id = integration["Properties"]["IntegrationUri"]["Fn::GetAtt"][0]
        result[logical_id] = functions[function_id]["Properties"]["Handler"]
    return result


def _routes(template: TemplateJson) -> dict[str, dict[str, Any]]:
    """Route key -> {"handler": ..., "authorized": bool}."""
    handlers = _handler_by_integration(template)
    routes: dict[str, dict[str, Any]] = {}
    for route in _resources(template, "AWS::ApiGatewayV2::Route").values():
        properties = route["Properties"]
        integration_id = properties["Target"]["Fn::Join"][1][1]["Ref"]
        routes[properties["RouteKey"]] = {
            "handler": handlers[integration_id],
            "authorized": properties["AuthorizationType"] == "CUSTOM",
            "authorizer": properties.get("AuthorizerId"),
        }
    return routes


def test_every_contract_method_has_its_connect_route_to_its_service_function(
    api: TemplateJson,
) -> None:
    routes = _routes(api)

    for service in load_service_descriptors():
        key = service.name.removesuffix("Service").lower()
        key = {"identityprovider": "idp"}.get(key, key)
        for method in service.methods:
            procedure = f"/{service.full_name}/{method.name}"
            route = routes[f"POST {procedure}"]
            assert route["handler"] == f"functions.{key}.handler.handler", procedure
            assert route["authorized"] is not is_public(procedure), procedure


def test_every_planned_route_is_deployed_to_its_function_with_its_authorizer_decision(
    api: TemplateJson,
) -> None:
    routes = _routes(api)

    assert set(routes) == {route.key for route in planned_routes()}
    for planned in planned_routes():
        deployed = routes[planned.key]
        assert deployed["handler"] == f"functions.{planned.function}.handler.handler"
        assert deployed["authorized"] is planned.authorized, planned.key


def test_search_users_and_get_user_avatar_have_rest_routes_to_the_user_function(
    api: TemplateJson,
) -> None:
    routes = _routes(api)

    assert routes["GET /api/v1/users/{user}/avatar"]["handler"] == "functions.user.handler.handler"
    assert routes["GET /api/v1/{customMethod}"]["handler"] == "functions.user.handler.handler"
    assert not routes["GET /api/v1/{customMethod}"]["authorized"]


def test_the_file_routes_go_to_their_functions_without_the_authorizer(api: TemplateJson) -> None:
    routes = _routes(api)

    avatar = routes["GET /file/users/{user}/avatar"]
    blob = routes["GET /file/attachments/{proxy+}"]
    assert avatar["handler"] == "functions.user.handler.handler"
    assert blob["handler"] == "functions.attachment.handler.handler"
    assert not avatar["authorized"]
    assert not blob["authorized"]


def test_the_direct_upload_routes_go_to_the_attachment_function_with_the_authorizer(
    api: TemplateJson,
) -> None:
    routes = _routes(api)

    for key in (
        "POST /api/v1/attachment-uploads",
        "POST /api/v1/attachment-uploads/{uploadId}/finalize",
    ):
        assert routes[key]["handler"] == "functions.attachment.handler.handler"
        assert routes[key]["authorized"]


def test_protected_routes_all_use_the_one_lambda_authorizer(api: TemplateJson) -> None:
    (authorizer_id, authorizer) = next(
        iter(_resources(api, "AWS::ApiGatewayV2::Authorizer").items())
    )
    properties = authorizer["Properties"]
    authorized = [r for r in _routes(api).values() if r["authorized"]]

    assert properties["AuthorizerType"] == "REQUEST"
    assert properties["AuthorizerPayloadFormatVersion"] == "2.0"
    assert properties["EnableSimpleResponses"] is True
    assert properties["IdentitySource"] == ["$request.header.Authorization"]
    assert properties["AuthorizerResultTtlInSeconds"] == DEFAULT_AUTHORIZER_CACHE_SECONDS
    assert authorized
    assert all(r["authorizer"] == {"Ref": authorizer_id} for r in authorized)
    assert "functions.authorizer.handler.handler" in str(_resources(api, "AWS::Lambda::Function"))


def test_there_is_one_lambda_permission_per_api_function_not_per_route(
    api: TemplateJson,
) -> None:
    permissions = _resources(api, "AWS::Lambda::Permission")

    # The webhook functions are invoked by their event sources, through their roles
    assert len(permissions) == len(API_FUNCTIONS)
    assert len(api["Resources"]) < 500


def test_functions_run_python_312_on_arm64_with_the_shared_layer(api: TemplateJson) -> None:
    functions = _resources(api, "AWS::Lambda::Function")
    handlers = sorted(f["Properties"]["Handler"] for f in functions.values())

    assert handlers == sorted(spec.handler for spec in ALL_FUNCTIONS)
    for function in functions.values():
        properties = function["Properties"]
        assert properties["Runtime"] == "python3.12"
        assert properties["Architectures"] == ["arm64"]
        assert len(properties["Layers"]) == 1
        assert set(properties["Environment"]["Variables"]) >= REQUIRED_ENVIRONMENT
        assert "LoggingConfig" in properties


def test_no_function_may_call_identity_providers_or_webhooks_on_loopback(
    api: TemplateJson,
) -> None:
    # The loopback switches exist for tests and local development only (SSO against a provider,
    # or webhooks to a receiver, on this machine); a deployed function must refuse loopback and
    # private addresses.
    for function in _resources(api, "AWS::Lambda::Function").values():
        variables = function["Properties"]["Environment"]["Variables"]
        assert ENV_ALLOW_LOOPBACK_IDENTITY_PROVIDERS not in variables
        assert ENV_ALLOW_LOOPBACK_WEBHOOKS not in variables


def test_every_function_logs_to_its_own_group_with_retention(api: TemplateJson, prod: Any) -> None:
    groups = _resources(api, "AWS::Logs::LogGroup")
    prod_groups = _resources(prod.stack("Api"), "AWS::Logs::LogGroup")

    assert len(groups) == len(ALL_FUNCTIONS) + 1  # + the API's access log
    assert {g["Properties"]["RetentionInDays"] for g in groups.values()} == {30}
    assert {g["Properties"]["RetentionInDays"] for g in prod_groups.values()} == {365}
    assert {g["DeletionPolicy"] for g in prod_groups.values()} == {"Retain"}


def test_memory_follows_the_cpu_each_function_needs(api: TemplateJson) -> None:
    # Given the synthesized functions
    memory = {
        f["Properties"]["Handler"]: f["Properties"]["MemorySize"]
        for f in _resources(api, "AWS::Lambda::Function").values()
    }

    # Then the password-hashing functions get more CPU: SignIn's a full vCPU, the user
    # function (sign-up, password change) about 0.58 of one; Pillow's thumbnails a full vCPU
    # and room to decode an image; others 512
    assert memory == {
        "functions.auth.handler.handler": 1769,
        "functions.user.handler.handler": 1024,
        "functions.attachment.handler.handler": 1769,
        **{
            spec.handler: 512
            for spec in ALL_FUNCTIONS
            if spec.key not in {"auth", "user", "attachment"}
        },
    }


def test_the_stage_throttles_every_route_and_logs_access(api: TemplateJson) -> None:
    Template.from_json(api).has_resource_properties(
        "AWS::ApiGatewayV2::Stage",
        {
            "StageName": "$default",
            "AutoDeploy": True,
            "DefaultRouteSettings": {"ThrottlingRateLimit": 50, "ThrottlingBurstLimit": 100},
            "AccessLogSettings": {"DestinationArn": Match.any_value(), "Format": Match.any_value()},
        },
    )


def test_cors_allows_the_context_origins_with_credentials(api: TemplateJson) -> None:
    Template.from_json(api).has_resource_properties(
        "AWS::ApiGatewayV2::Api",
        {
            "ProtocolType": "HTTP",
            "CorsConfiguration": {
                "AllowOrigins": ["http://localhost:3001", "http://127.0.0.1:3001"],
                "AllowCredentials": True,
                "AllowHeaders": Match.array_with(["authorization", "connect-protocol-version"]),
            },
        },
    )


def test_alarms_watch_5xx_errors_and_throttles(api: TemplateJson) -> None:
    alarms = _resources(api, "AWS::CloudWatch::Alarm").values()
    metrics = [(a["Properties"]["Namespace"], a["Properties"]["MetricName"]) for a in alarms]

    assert ("AWS/ApiGateway", "5xx") in metrics
    assert metrics.count(("AWS/Lambda", "Errors")) == len(ALL_FUNCTIONS)
    assert metrics.count(("AWS/Lambda", "Throttles")) == len(ALL_FUNCTIONS)
    assert all(a["Properties"]["AlarmActions"] for a in alarms)


def test_the_api_url_is_an_output(api: TemplateJson) -> None:
    assert "ApiUrl" in api["Outputs"]


# --- IAM: least privilege, written out per function -------------------------------------


def _policies_by_handler(api: TemplateJson) -> dict[str, list[dict[str, Any]]]:
    functions = _resources(api, "AWS::Lambda::Function")
    role_to_handler = {
        f["Properties"]["Role"]["Fn::GetAtt"][0]: f["Properties"]["Handler"]
        for f in functions.values()
    }
    statements: dict[str, list[dict[str, Any]]] = {}
    for policy in _resources(api, "AWS::IAM::Policy").values():
        for role in policy["Properties"]["Roles"]:
            handler = role_to_handler[role["Ref"]]
            statements.setdefault(handler, []).extend(
                policy["Properties"]["PolicyDocument"]["Statement"]
            )
    return statements


def _actions(statement: dict[str, Any]) -> list[str]:
    actions = statement["Action"]
    return [actions] if isinstance(actions, str) else list(actions)


def test_no_function_policy_holds_a_wildcard_action_or_a_scan(api: TemplateJson) -> None:
    for handler, statements in _policies_by_handler(api).items():
        for statement in statements:
            for action in _actions(statement):
                assert "*" not in action, (handler, action)
                assert action != "dynamodb:Scan", handler


def test_roles_carry_no_managed_policies(api: TemplateJson) -> None:
    for role in _resources(api, "AWS::IAM::Role").values():
        assert "ManagedPolicyArns" not in role["Properties"]


def _resource_strings(statement: dict[str, Any]) -> list[str]:
    resources = statement["Resource"]
    return [str(r) for r in (resources if isinstance(resources, list) else [resources])]


@pytest.mark.parametrize("spec", API_FUNCTIONS, ids=lambda spec: spec.key)
def test_each_api_function_is_granted_exactly_its_table_index_blob_and_secret_access(
    api: TemplateJson, spec: Any
) -> None:
    statements = _policies_by_handler(api)[spec.handler]
    granted: dict[str, set[str]] = {}
    for statement in statements:
        assert statement["Effect"] == "Allow"
        for action in _actions(statement):
            granted.setdefault(action, set()).update(_resource_strings(statement))

    table_actions = {a for a in granted if a.startswith("dynamodb:")}
    assert table_actions == set(spec.table_actions) | (
        {"dynamodb:Query"} if spec.indexes else set()
    )
    index_grants = {r for r in granted.get("dynamodb:Query", set()) if "/index/" in r}
    assert len(index_grants) == len(spec.indexes)
    assert all(any(f"/index/{i}" in r for r in index_grants) for i in spec.indexes)
    blob_actions = {a for a in granted if a.startswith("s3:")}
    blobs = spec.blobs or BlobAccess(actions=(), prefixes=())
    assert blob_actions == set(blobs.actions) | ({"s3:ListBucket"} if blobs.lists_bucket else set())
    for action in blobs.actions:  # on objects under the named prefixes of the bucket only
        assert len(granted[action]) == len(blobs.prefixes)
        for prefix in blobs.prefixes:
            assert any("-attachments-" in r and f"/{prefix}*" in r for r in granted[action])
    for bucket in granted.get("s3:ListBucket", set()):  # the bucket itself, no object
        assert "-attachments-" in bucket
        assert "/" not in bucket.rsplit(":::", 1)[-1]
    secret_actions = {a for a in granted if a.startswith("secretsmanager:")}
    assert secret_actions == (
        {"secretsmanager:GetSecretValue"} if spec.reads_signing_secret else set()
    )
    logs_actions = {a for a in granted if a.startswith("logs:")}
    assert logs_actions == {"logs:CreateLogStream", "logs:PutLogEvents"}
    assert set(granted) == table_actions | blob_actions | secret_actions | logs_actions


def test_the_authorizer_only_checks_tokens_and_reads_the_signing_secret() -> None:
    assert AUTHORIZER_FUNCTION.table_actions == ("dynamodb:GetItem", "dynamodb:UpdateItem")
    assert not AUTHORIZER_FUNCTION.indexes
    assert AUTHORIZER_FUNCTION.blobs is None


def test_only_the_attachment_and_memo_functions_touch_attachment_objects() -> None:
    # Given every function
    touching = {spec.key: spec.blobs for spec in ALL_FUNCTIONS if spec.blobs is not None}

    # Then the attachment function reads, writes and deletes bytes, thumbnails and uploads, and
    # may list the bucket (a missing object is then a 404, not a 403); the memo function only
    # deletes a deleted memo's bytes and thumbnails; user deletion has no cascade to blobs
    assert set(touching) == {"attachment", "memo"}
    attachment, memo = touching["attachment"], touching["memo"]
    assert set(attachment.actions) == {
        "s3:GetObject",
        "s3:PutObject",
        "s3:DeleteObject",
        "s3:AbortMultipartUpload",
    }
    assert set(attachment.prefixes) == {"attachments/", "thumbnails/", "uploads/"}
    assert attachment.lists_bucket
    assert memo.actions == ("s3:DeleteObject",)
    assert set(memo.prefixes) == {"attachments/", "thumbnails/"}
    assert not memo.lists_bucket


def test_the_webhook_functions_serve_no_route(api: TemplateJson) -> None:
    handlers = {route["handler"] for route in _routes(api).values()}

    assert not handlers & {spec.handler for spec in WEBHOOK_FUNCTIONS}
