"""The daily sweep of attachment objects no record refers to (``functions/blob_sweeper``).

- **The function** is an :class:`~infra.api_function.ApiFunction` without routes. Beyond its
  table reads (:data:`~infra.services.BLOB_SWEEPER`), it may save where it stopped (PutItem on
  that one item's partition only), list the bucket under ``attachments/`` and ``thumbnails/``
  only, and delete objects there. Its deletes carry the ETag the listing gave, and S3 wants
  ``s3:GetObject`` beside ``s3:DeleteObject`` for such conditional deletes.
- **The schedule** (EventBridge Scheduler) invokes it once a day through a role that may invoke
  this function and nothing else, so the function needs no resource policy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_scheduler as scheduler
from constructs import Construct

from infra.api_function import ApiFunction, bucket_arn, objects_arn, objects_finding
from infra.nag import acknowledge
from infra.names import ATTACHMENT_KEY_PREFIX, THUMBNAIL_KEY_PREFIX
from infra.services import BLOB_SWEEPER
from memos.store import keys

if TYPE_CHECKING:
    from collections.abc import Callable

    from aws_cdk import aws_lambda as lambda_

    from infra.api_function import SharedResources
    from infra.services import FunctionSpec

# 03:30 UTC, away from the day's busiest hours in most places; the sweep is bounded anyway.
SCHEDULE_EXPRESSION: Final = "cron(30 3 * * ? *)"
SWEPT_PREFIXES: Final = (ATTACHMENT_KEY_PREFIX, THUMBNAIL_KEY_PREFIX)
# A run that fails is tried again, but not after the next day's run is near.
RETRY_ATTEMPTS: Final = 2
RETRY_MAX_AGE_SECONDS: Final = 6 * 60 * 60


class BlobSweeper(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        shared: SharedResources,
        code: Callable[[FunctionSpec], lambda_.Code],
    ) -> None:
        super().__init__(scope, construct_id)
        self.function = ApiFunction(
            self,
            BLOB_SWEEPER.construct_id,
            spec=BLOB_SWEEPER,
            code=code(BLOB_SWEEPER),
            shared=shared,
            statements=[
                iam.PolicyStatement(
                    sid="SaveSweepPosition",
                    actions=["dynamodb:PutItem"],
                    resources=[shared.table.table_arn],
                    conditions={
                        "ForAllValues:StringEquals": {
                            "dynamodb:LeadingKeys": [keys.blob_sweep_key().pk]
                        }
                    },
                ),
                iam.PolicyStatement(
                    sid="ListSweptPrefixes",
                    actions=["s3:ListBucket"],
                    resources=[bucket_arn(shared.stage)],
                    conditions={"StringEquals": {"s3:prefix": list(SWEPT_PREFIXES)}},
                ),
                iam.PolicyStatement(
                    sid="DeleteUnreferencedObjects",
                    actions=["s3:DeleteObject", "s3:GetObject"],
                    resources=[objects_arn(shared.stage, prefix) for prefix in SWEPT_PREFIXES],
                ),
            ],
        )
        for prefix in SWEPT_PREFIXES:
            acknowledge(
                self.function.policy,
                f"AwsSolutions-IAM5[Resource::{objects_finding(shared.stage, prefix)}]",
                f"Objects under the {prefix} prefix only: the sweep deletes those whose uid "
                "has no attachment record, which it only learns from the listing.",
            )
        self.schedule = self._schedule()

    def _schedule(self) -> scheduler.CfnSchedule:
        function = self.function.function
        # An inline policy: this role serves the schedule alone, and nothing else may use it.
        role = iam.Role(
            self,
            "ScheduleRole",
            assumed_by=iam.ServicePrincipal(
                "scheduler.amazonaws.com",
                conditions={"StringEquals": {"aws:SourceAccount": cdk.Aws.ACCOUNT_ID}},
            ),
            description="Lets the daily schedule invoke the blob sweeper",
            inline_policies={
                "InvokeSweeper": iam.PolicyDocument(
                    statements=[
                        iam.PolicyStatement(
                            sid="InvokeSweeper",
                            actions=["lambda:InvokeFunction"],
                            resources=[function.function_arn],
                        )
                    ]
                )
            },
        )
        return scheduler.CfnSchedule(
            self,
            "DailySchedule",
            description="Sweeps attachment objects no record refers to",
            schedule_expression=SCHEDULE_EXPRESSION,
            schedule_expression_timezone="UTC",
            flexible_time_window=scheduler.CfnSchedule.FlexibleTimeWindowProperty(mode="OFF"),
            target=scheduler.CfnSchedule.TargetProperty(
                arn=function.function_arn,
                role_arn=role.role_arn,
                input="{}",
                retry_policy=scheduler.CfnSchedule.RetryPolicyProperty(
                    maximum_retry_attempts=RETRY_ATTEMPTS,
                    maximum_event_age_in_seconds=RETRY_MAX_AGE_SECONDS,
                ),
            ),
        )
