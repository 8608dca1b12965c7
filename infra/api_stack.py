"""The API stack: the HTTP API, the shared layer, the authorizer, one function per service and
the memo-webhook pipeline.

Routes come from :func:`infra.routes.planned_routes` (descriptors + public-method table); the
functions from the service table in :mod:`infra.services`, each built by one
:class:`~infra.api_function.ApiFunction` in a loop; the webhook dispatcher and sender, with
their queues, by :class:`~infra.webhook_pipeline.WebhookPipeline`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import aws_cdk as cdk
import jsii
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions

from infra import bundling, names
from infra.alarms import alarm_on
from infra.api_function import ApiFunction, SharedResources
from infra.blob_sweeper import BlobSweeper
from infra.data_stack import attachment_bucket_name
from infra.nag import acknowledge
from infra.routes import planned_routes
from infra.services import AUTHORIZER_FUNCTION, SERVICE_FUNCTIONS
from infra.webhook_pipeline import WebhookPipeline
from memos.rpc.cors import (
    ALLOWED_HEADERS,
    ALLOWED_METHODS,
    EXPOSED_HEADERS,
    PREFLIGHT_MAX_AGE_SECONDS,
)

if TYPE_CHECKING:
    from aws_cdk import aws_dynamodb as dynamodb
    from aws_cdk import aws_secretsmanager as secretsmanager
    from constructs import Construct

    from infra.context import DeploymentContext
    from infra.services import FunctionSpec

REPO_ROOT = Path(__file__).resolve().parents[1]
BUILD_DIR = REPO_ROOT / "build" / "lambda"
SERVER_ERROR_THRESHOLD = 5
ACCESS_LOG_FORMAT = {
    "requestId": "$context.requestId",
    "ip": "$context.identity.sourceIp",
    "requestTime": "$context.requestTime",
    "routeKey": "$context.routeKey",
    "status": "$context.status",
    "protocol": "$context.protocol",
    "responseLength": "$context.responseLength",
    "integrationError": "$context.integrationErrorMessage",
    "authorizerError": "$context.authorizer.error",
    "latency": "$context.responseLatency",
}


class ApiStack(cdk.Stack):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        context: DeploymentContext,
        table: dynamodb.ITable,
        jwt_secret: secretsmanager.ISecret,
        **kwargs: object,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)  # type: ignore[arg-type]
        self._context = context
        removal = cdk.RemovalPolicy.RETAIN if context.is_production else cdk.RemovalPolicy.DESTROY
        retention = (
            logs.RetentionDays.ONE_YEAR if context.is_production else logs.RetentionDays.ONE_MONTH
        )
        alarm_topic = self._alarm_topic(context)
        shared = SharedResources(
            layer=self._layer(),
            table=table,
            stage=context.stage,
            jwt_secret=jwt_secret,
            environment={
                names.ENV_TABLE_NAME: table.table_name,
                names.ENV_BUCKET_NAME: attachment_bucket_name(context.stage),
                names.ENV_CORS_ORIGINS: ",".join(context.cors_origins),
                names.ENV_STAGE: context.stage,
                names.ENV_LOG_LEVEL: "INFO",
                names.ENV_JWT_SECRET_NAME: jwt_secret.secret_name,
            },
            log_retention=retention,
            removal_policy=removal,
            alarm_topic=alarm_topic,
        )
        self.http_api = self._http_api(context, retention, removal)
        self.authorizer_function = ApiFunction(
            self,
            names.AUTHORIZER_FUNCTION_ID,
            spec=AUTHORIZER_FUNCTION,
            code=self._function_code(AUTHORIZER_FUNCTION),
            shared=shared,
        )
        authorizer = self._authorizer(self.authorizer_function.function)
        routes = planned_routes()
        self.service_functions: dict[str, ApiFunction] = {}
        for spec in SERVICE_FUNCTIONS:
            self.service_functions[spec.key] = ApiFunction(
                self,
                spec.construct_id,
                spec=spec,
                code=self._function_code(spec),
                shared=shared,
                http_api=self.http_api,
                routes=[route for route in routes if route.function == spec.key],
                authorizer_id=authorizer.ref,
            )
        self.webhooks = WebhookPipeline(self, "Webhooks", shared=shared, code=self._function_code)
        self.blob_sweeper = BlobSweeper(
            self, "BlobSweeper", shared=shared, code=self._function_code
        )
        self._api_alarms(alarm_topic)
        cdk.CfnOutput(
            self,
            names.API_URL_OUTPUT,
            value=self.http_api.api_endpoint,
            description="Base URL of the Memos API",
        )
        if context.domain_name:
            cdk.CfnOutput(
                self,
                "CustomDomainUrl",
                value=f"https://{context.domain_name}",
                description="The API on its custom domain (point a DNS record at the target)",
            )

    # --- Assets -----------------------------------------------------------------------------

    def _layer(self) -> lambda_.LayerVersion:
        if self._context.uses_stub_assets:
            code = lambda_.Code.from_asset(str(bundling.build_stub(BUILD_DIR, "layer")))
        else:
            built = bundling.build_layer(REPO_ROOT, BUILD_DIR)
            code = lambda_.Code.from_asset(
                str(built.path), asset_hash=built.digest, asset_hash_type=cdk.AssetHashType.CUSTOM
            )
        return lambda_.LayerVersion(
            self,
            names.LAYER_ID,
            code=code,
            compatible_runtimes=[lambda_.Runtime.PYTHON_3_12],
            compatible_architectures=[lambda_.Architecture.ARM_64],
            description="memos package and its pinned runtime dependencies",
        )

    def _function_code(self, spec: FunctionSpec) -> lambda_.Code:
        if self._context.uses_stub_assets:
            return lambda_.Code.from_asset(str(bundling.build_stub(BUILD_DIR, spec.key)))
        if spec is AUTHORIZER_FUNCTION and not (REPO_ROOT / "functions" / spec.key).is_dir():
            built = bundling.build_deny_all_function(BUILD_DIR, spec.key)
        else:
            built = bundling.build_function(REPO_ROOT, BUILD_DIR, spec.key)
        return lambda_.Code.from_asset(
            str(built.path), asset_hash=built.digest, asset_hash_type=cdk.AssetHashType.CUSTOM
        )

    # --- The HTTP API -----------------------------------------------------------------------

    def _http_api(
        self,
        context: DeploymentContext,
        retention: logs.RetentionDays,
        removal: cdk.RemovalPolicy,
    ) -> apigwv2.HttpApi:
        cors = (
            apigwv2.CorsPreflightOptions(
                allow_origins=list(context.cors_origins),
                allow_credentials=True,
                allow_methods=[apigwv2.CorsHttpMethod(method) for method in ALLOWED_METHODS],
                allow_headers=list(ALLOWED_HEADERS),
                expose_headers=list(EXPOSED_HEADERS),
                max_age=cdk.Duration.seconds(PREFLIGHT_MAX_AGE_SECONDS),
            )
            if context.cors_origins
            else None
        )
        domain_mapping = None
        if context.domain_name and context.certificate_arn:
            domain = apigwv2.DomainName(
                self,
                "CustomDomain",
                domain_name=context.domain_name,
                certificate=acm.Certificate.from_certificate_arn(
                    self, "Certificate", context.certificate_arn
                ),
            )
            domain_mapping = apigwv2.DomainMappingOptions(domain_name=domain)
            cdk.CfnOutput(self, "CustomDomainTarget", value=domain.regional_domain_name)
        http_api = apigwv2.HttpApi(
            self,
            names.HTTP_API_ID,
            api_name=f"{names.APP_NAME}-{context.stage}",
            description="Memos v0.26 API: Connect RPC, REST, API documents and files",
            cors_preflight=cors,
            create_default_stage=False,
        )
        access_log = logs.LogGroup(
            self, names.API_ACCESS_LOG_ID, retention=retention, removal_policy=removal
        )
        apigwv2.HttpStage(
            self,
            "DefaultStage",
            http_api=http_api,
            stage_name="$default",
            auto_deploy=True,
            throttle=apigwv2.ThrottleSettings(
                rate_limit=context.throttle_rate_limit,
                burst_limit=context.throttle_burst_limit,
            ),
            access_log_settings=_AccessLogSettings(access_log),
            domain_mapping=domain_mapping,
        )
        return http_api

    def _authorizer(self, function: lambda_.IFunction) -> apigwv2.CfnAuthorizer:
        """A Lambda authorizer (payload 2.0, simple responses) on the Authorization header.

        Results are not cached: a signed-out or revoked token must stop working at once.
        """
        authorizer = apigwv2.CfnAuthorizer(
            self,
            names.AUTHORIZER_ID,
            api_id=self.http_api.api_id,
            name=f"{names.APP_NAME}-{self._context.stage}-token",
            authorizer_type="REQUEST",
            authorizer_uri=(
                f"arn:{self.partition}:apigateway:{self.region}:lambda:path/2015-03-31/"
                f"functions/{function.function_arn}/invocations"
            ),
            authorizer_payload_format_version="2.0",
            enable_simple_responses=True,
            identity_source=["$request.header.Authorization"],
            authorizer_result_ttl_in_seconds=self._context.authorizer_cache_seconds,
        )
        function.add_permission(
            "InvokeAsAuthorizer",
            principal=iam.ServicePrincipal("apigateway.amazonaws.com"),
            source_arn=self.format_arn(
                service="execute-api",
                resource=self.http_api.api_id,
                resource_name=f"authorizers/{authorizer.ref}",
            ),
        )
        return authorizer

    # --- Alarms -----------------------------------------------------------------------------

    def _alarm_topic(self, context: DeploymentContext) -> sns.Topic:
        topic = sns.Topic(self, names.ALARM_TOPIC_ID, enforce_ssl=True)
        if context.alarm_email:
            topic.add_subscription(subscriptions.EmailSubscription(context.alarm_email))
        acknowledge(
            topic,
            "AwsSolutions-SNS2",
            "Alarm notifications carry no data; CloudWatch can't publish to a topic encrypted "
            "with the AWS managed key.",
        )
        return topic

    def _api_alarms(self, topic: sns.ITopic) -> None:
        five_minutes = cdk.Duration.minutes(5)
        for name, metric, threshold in (
            ("ServerErrors", self.http_api.metric_server_error(period=five_minutes), 5),
            ("ClientErrors", self.http_api.metric_client_error(period=five_minutes), 100),
        ):
            alarm_on(
                self,
                f"Api{name}Alarm",
                metric=metric,
                threshold=threshold,
                description=f"HTTP API: at least {threshold} {name} in 5 minutes "
                "(4xx includes throttled requests, 429)",
                topic=topic,
            )


@jsii.implements(apigwv2.IAccessLogSettings)
class _AccessLogSettings:
    """Stage access logs: one JSON line per request."""

    def __init__(self, log_group: logs.ILogGroup) -> None:
        self._destination = apigwv2.LogGroupLogDestination(log_group)

    @property
    def destination(self) -> apigwv2.IAccessLogDestination:
        return self._destination

    @property
    def format(self) -> apigateway.AccessLogFormat:
        return apigateway.AccessLogFormat.custom(json.dumps(ACCESS_LOG_FORMAT))
