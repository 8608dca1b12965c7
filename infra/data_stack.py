"""The data stack: the DynamoDB table, the attachment bucket and the JWT signing secret.

The table's keys, indexes and TTL attribute come from ``memos.store.schema``, the same module
the store and the local server create their tables from. Prod keeps everything on stack
deletion and turns on the table's deletion protection; dev cleans up after itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import aws_cdk as cdk
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager

from infra import names
from infra.nag import acknowledge
from memos.store import schema

if TYPE_CHECKING:
    from constructs import Construct

    from infra.context import DeploymentContext

NONCURRENT_VERSION_DAYS = 30
INCOMPLETE_UPLOAD_DAYS = 7
# A direct upload not finalized within a day is abandoned: its object (and, the bucket being
# versioned, the version a finalize's delete leaves behind) goes after a day.
UNFINISHED_DIRECT_UPLOAD_DAYS = 1
ACCESS_LOG_DAYS = 90
JWT_SECRET_LENGTH = 64
PRESIGNED_UPLOAD_METHODS = (s3.HttpMethods.PUT, s3.HttpMethods.POST, s3.HttpMethods.GET)


def attachment_bucket_name(
    stage: str, account: str = cdk.Aws.ACCOUNT_ID, region: str = cdk.Aws.REGION
) -> str:
    """The bucket's name, from the stage and the account and region of the stack using it.

    Both stacks know it without an export, so the API stack's IAM grants name the
    ``attachments/`` prefix in a resource string reviewers (and cdk-nag) can read.
    """
    return f"{names.APP_NAME.lower()}-{stage}-attachments-{account}-{region}"


class DataStack(cdk.Stack):
    def __init__(
        self, scope: Construct, construct_id: str, *, context: DeploymentContext, **kwargs: object
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)  # type: ignore[arg-type]
        removal = cdk.RemovalPolicy.RETAIN if context.is_production else cdk.RemovalPolicy.DESTROY
        self.table = self._table(context, removal)
        cdk.CfnOutput(
            self,
            names.TABLE_ARN_OUTPUT,
            value=self.table.table_arn,
            export_name=names.table_arn_export(context.stage),
            description="The table's ARN (the webhook dispatcher lists its streams)",
        )
        self.bucket = self._bucket(context, removal)
        self.jwt_secret = self._jwt_secret(removal)

    def _table(self, context: DeploymentContext, removal: cdk.RemovalPolicy) -> dynamodb.Table:
        string = dynamodb.AttributeType.STRING
        table = dynamodb.Table(
            self,
            names.TABLE_ID,
            partition_key=dynamodb.Attribute(name=schema.PARTITION_KEY, type=string),
            sort_key=dynamodb.Attribute(name=schema.SORT_KEY, type=string),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            deletion_protection=context.is_production,
            time_to_live_attribute=schema.TTL_ATTRIBUTE,
            stream=dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
            removal_policy=removal,
        )
        for index in schema.GLOBAL_SECONDARY_INDEXES:
            table.add_global_secondary_index(
                index_name=index.name,
                partition_key=dynamodb.Attribute(name=index.partition_key, type=string),
                sort_key=dynamodb.Attribute(name=index.sort_key, type=string),
                projection_type=dynamodb.ProjectionType.ALL,
            )
        return table

    def _bucket(self, context: DeploymentContext, removal: cdk.RemovalPolicy) -> s3.Bucket:
        dev = not context.is_production
        access_logs = s3.Bucket(
            self,
            names.ACCESS_LOG_BUCKET_ID,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            lifecycle_rules=[s3.LifecycleRule(expiration=cdk.Duration.days(ACCESS_LOG_DAYS))],
            removal_policy=removal,
            auto_delete_objects=dev,
        )
        acknowledge(
            access_logs,
            "AwsSolutions-S1",
            "This is the access-log bucket; logging it into itself would loop.",
        )
        cors = (
            [
                s3.CorsRule(
                    allowed_methods=list(PRESIGNED_UPLOAD_METHODS),
                    allowed_origins=list(context.cors_origins),
                    allowed_headers=["*"],
                    exposed_headers=["ETag"],
                    max_age=3600,
                )
            ]
            if context.cors_origins
            else None
        )
        bucket = s3.Bucket(
            self,
            names.BUCKET_ID,
            bucket_name=attachment_bucket_name(context.stage),
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            versioned=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            cors=cors,
            lifecycle_rules=[
                s3.LifecycleRule(
                    noncurrent_version_expiration=cdk.Duration.days(NONCURRENT_VERSION_DAYS),
                    abort_incomplete_multipart_upload_after=cdk.Duration.days(
                        INCOMPLETE_UPLOAD_DAYS
                    ),
                    expired_object_delete_marker=True,
                ),
                s3.LifecycleRule(
                    id="ExpireUnfinishedDirectUploads",
                    prefix=names.UPLOAD_KEY_PREFIX,
                    expiration=cdk.Duration.days(UNFINISHED_DIRECT_UPLOAD_DAYS),
                    noncurrent_version_expiration=cdk.Duration.days(UNFINISHED_DIRECT_UPLOAD_DAYS),
                ),
            ],
            server_access_logs_bucket=access_logs,
            server_access_logs_prefix="attachments/",
            removal_policy=removal,
            auto_delete_objects=dev,
        )
        return bucket

    def _jwt_secret(self, removal: cdk.RemovalPolicy) -> secretsmanager.Secret:
        secret = secretsmanager.Secret(
            self,
            names.JWT_SECRET_ID,
            description="Signs and verifies Memos access tokens (HS256).",
            generate_secret_string=secretsmanager.SecretStringGenerator(
                password_length=JWT_SECRET_LENGTH, exclude_punctuation=True
            ),
            removal_policy=removal,
        )
        acknowledge(
            secret,
            "AwsSolutions-SMG4",
            "Rotation is manual: store {current, previous} JSON and the verifiers accept both "
            "while old tokens expire (docs/decisions.md).",
        )
        return secret
