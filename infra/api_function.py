"""One construct for "a Lambda with its routes and IAM policy".

It creates the function (Python 3.12, arm64, the shared layer), its log group with retention,
its execution role with exactly the grants of its :class:`~infra.services.FunctionSpec` (plus
any statements its caller adds for resources made beside it, such as a queue), its error and
throttle alarms, and, when it serves routes, one integration, one Lambda permission for the
whole API (not one per route: CloudFormation stacks hold at most 500 resources) and its routes,
each with the authorizer or without it as planned by :mod:`infra.routes`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import aws_cdk as cdk
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct
from msgspec import Struct

from infra import names
from infra.alarms import alarm_on
from infra.data_stack import attachment_bucket_name
from infra.nag import acknowledge

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from aws_cdk import aws_dynamodb as dynamodb
    from aws_cdk import aws_secretsmanager as secretsmanager
    from aws_cdk import aws_sns as sns

    from infra.routes import GatewayRoute
    from infra.services import BlobAccess, FunctionSpec


class SharedResources(Struct, frozen=True):
    """What every function is built against (created once, passed in)."""

    layer: lambda_.ILayerVersion
    table: dynamodb.ITable
    stage: str  # names the attachment bucket (infra.data_stack.attachment_bucket_name)
    jwt_secret: secretsmanager.ISecret
    environment: Mapping[str, str]
    log_retention: logs.RetentionDays
    removal_policy: cdk.RemovalPolicy
    alarm_topic: sns.ITopic


class ApiFunction(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        spec: FunctionSpec,
        code: lambda_.Code,
        shared: SharedResources,
        http_api: apigwv2.HttpApi | None = None,
        routes: Sequence[GatewayRoute] = (),
        authorizer_id: str | None = None,
        environment: Mapping[str, str] | None = None,
        statements: Sequence[iam.PolicyStatement] = (),
    ) -> None:
        super().__init__(scope, construct_id)
        self.spec = spec
        self.log_group = logs.LogGroup(
            self,
            "Logs",
            retention=shared.log_retention,
            removal_policy=shared.removal_policy,
        )
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"Runs the {spec.key} function",
        )
        self.function = lambda_.Function(
            self,
            "Function",
            runtime=lambda_.Runtime.PYTHON_3_12,
            architecture=lambda_.Architecture.ARM_64,
            handler=spec.handler,
            code=code,
            layers=[shared.layer],
            memory_size=spec.memory_mb,
            timeout=cdk.Duration.seconds(spec.timeout_seconds),
            reserved_concurrent_executions=spec.reserved_concurrency,
            role=self.role,
            log_group=self.log_group,
            environment={
                **shared.environment,
                **(environment or {}),
                names.ENV_SERVICE_NAME: spec.service or spec.key,
            },
        )
        acknowledge(
            self.function,
            "AwsSolutions-L1",
            "Python 3.12 is the runtime this project targets and tests; the layer's wheels "
            "are built for it.",
        )
        self._grant(spec, shared, statements)
        self._alarms(shared.alarm_topic)
        self.route_ids: list[str] = []
        if routes:
            if http_api is None:
                raise ValueError(f"{spec.key}: routes need the HTTP API")
            self._routes(http_api, routes, authorizer_id)

    # --- IAM: written out per function ----------------------------------------------------

    def _grant(
        self,
        spec: FunctionSpec,
        shared: SharedResources,
        extra: Sequence[iam.PolicyStatement],
    ) -> None:
        statements = [
            iam.PolicyStatement(
                sid="WriteOwnLogs",
                actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                resources=[self.log_group.log_group_arn],
            ),
            iam.PolicyStatement(
                sid="Table",
                actions=list(spec.table_actions),
                resources=[shared.table.table_arn],
            ),
        ]
        if spec.indexes:
            statements.append(
                iam.PolicyStatement(
                    sid="Indexes",
                    actions=["dynamodb:Query"],
                    resources=[f"{shared.table.table_arn}/index/{index}" for index in spec.indexes],
                )
            )
        if spec.blobs is not None:
            statements.extend(_blob_statements(spec.blobs, shared.stage))
        if spec.reads_signing_secret:
            statements.append(
                iam.PolicyStatement(
                    sid="SigningSecret",
                    actions=["secretsmanager:GetSecretValue"],
                    resources=[shared.jwt_secret.secret_arn],
                )
            )
        statements.extend(extra)
        policy = iam.Policy(self, "Access", statements=statements)
        policy.attach_to_role(self.role)
        self.policy = policy
        for prefix in spec.blobs.prefixes if spec.blobs is not None else ():
            acknowledge(
                policy,
                f"AwsSolutions-IAM5[Resource::{objects_finding(shared.stage, prefix)}]",
                f"Objects under the {prefix} prefix only; each key holds an attachment's uid "
                "(or an upload's id), which is only known per request.",
            )

    # --- Alarms -----------------------------------------------------------------------------

    def _alarms(self, topic: sns.ITopic) -> None:
        for name, metric in (
            ("Errors", self.function.metric_errors(period=cdk.Duration.minutes(5))),
            ("Throttles", self.function.metric_throttles(period=cdk.Duration.minutes(5))),
        ):
            alarm_on(
                self,
                f"{name}Alarm",
                metric=metric,
                threshold=1,
                description=f"{self.spec.key} function: {name.lower()} in 5 minutes",
                topic=topic,
            )

    # --- Routes -----------------------------------------------------------------------------

    def _routes(
        self,
        http_api: apigwv2.HttpApi,
        routes: Sequence[GatewayRoute],
        authorizer_id: str | None,
    ) -> None:
        stack = cdk.Stack.of(self)
        integration = apigwv2.CfnIntegration(
            self,
            "Integration",
            api_id=http_api.api_id,
            integration_type="AWS_PROXY",
            integration_uri=self.function.function_arn,
            payload_format_version="2.0",
        )
        # One permission for every route of this API (any stage, method and path).
        self.function.add_permission(
            "InvokeFromApi",
            principal=iam.ServicePrincipal("apigateway.amazonaws.com"),
            source_arn=stack.format_arn(
                service="execute-api",
                resource=http_api.api_id,
                resource_name="*/*/*",
            ),
        )
        target = f"integrations/{integration.ref}"
        for route in routes:
            if route.authorized and authorizer_id is None:
                raise ValueError(f"{route.key} needs the authorizer")
            route_id = _route_construct_id(route)
            cfn_route = apigwv2.CfnRoute(
                self,
                route_id,
                api_id=http_api.api_id,
                route_key=route.key,
                target=target,
                authorization_type="CUSTOM" if route.authorized else "NONE",
                authorizer_id=authorizer_id if route.authorized else None,
            )
            self.route_ids.append(cfn_route.logical_id)
            if not route.authorized:
                acknowledge(
                    cfn_route,
                    "AwsSolutions-APIG4",
                    "Public by design (memos.auth.public_methods, or plain HTTP with its own "
                    "optional auth); the function still verifies any token it is given.",
                )


def _blob_statements(blobs: BlobAccess, stage: str) -> list[iam.PolicyStatement]:
    statements = [
        iam.PolicyStatement(
            sid="AttachmentBlobs",
            actions=list(blobs.actions),
            resources=[objects_arn(stage, prefix) for prefix in blobs.prefixes],
        )
    ]
    if blobs.lists_bucket:
        statements.append(
            iam.PolicyStatement(
                sid="AttachmentBucketMissingKeys",
                actions=["s3:ListBucket"],
                resources=[bucket_arn(stage)],
            )
        )
    return statements


def bucket_arn(stage: str) -> str:
    """The ARN of the stage's attachment bucket."""
    return f"arn:{cdk.Aws.PARTITION}:s3:::{attachment_bucket_name(stage)}"


def objects_arn(stage: str, prefix: str) -> str:
    """The ARN of the objects under ``prefix`` in the stage's attachment bucket."""
    return f"{bucket_arn(stage)}/{prefix}*"


def objects_finding(stage: str, prefix: str) -> str:
    """How cdk-nag spells :func:`objects_arn` in a finding."""
    bucket = attachment_bucket_name(stage, "<AWS::AccountId>", "<AWS::Region>")
    return f"arn:<AWS::Partition>:s3:::{bucket}/{prefix}*"


def _route_construct_id(route: GatewayRoute) -> str:
    """A readable, stable construct id from the route key (``GET /api/v1/memos/{memo}``)."""
    cleaned = "".join(ch if ch.isalnum() else " " for ch in route.key)
    return "Route" + "".join(word[:1].upper() + word[1:] for word in cleaned.split())
