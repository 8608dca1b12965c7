"""Which table and bucket the commands use: flags, a deployed data stack, or the environment."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from infra import names
from memos.config import Settings
from migrate.target import (
    BUCKET_CONSTRUCT_ID,
    TABLE_CONSTRUCT_ID,
    Target,
    TargetError,
    resolve_target,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

_DATA_STACK = [
    ("TableCD117FA1", "AWS::DynamoDB::Table", "memos-prod-table"),
    ("AttachmentBucket5F1E9A1B", "AWS::S3::Bucket", "memos-prod-attachments"),
    ("AccessLogBucket0C3F1B6A", "AWS::S3::Bucket", "memos-prod-access-logs"),
    ("JwtSigningSecretA1B2C3D4", "AWS::SecretsManager::Secret", "arn:secret"),
]


class _CloudFormation:
    """Answers ListStackResources for one stack, in pages of two, as CloudFormation would."""

    def __init__(self, stack: str, resources: list[tuple[str, str, str]]) -> None:
        self._stack = stack
        self._resources = resources

    def get_paginator(self, operation: str) -> _CloudFormation:
        assert operation == "list_stack_resources"
        return self

    def paginate(self, StackName: str) -> Iterator[dict[str, Any]]:
        assert StackName == self._stack
        summaries = [
            {"LogicalResourceId": logical, "ResourceType": kind, "PhysicalResourceId": physical}
            for logical, kind, physical in self._resources
        ]
        for start in range(0, len(summaries), 2):
            yield {"StackResourceSummaries": summaries[start : start + 2]}


def test_the_construct_ids_are_the_data_stacks() -> None:
    # Given / When / Then the ids the command looks for are the ones the stack is built with
    assert (TABLE_CONSTRUCT_ID, BUCKET_CONSTRUCT_ID) == (names.TABLE_ID, names.BUCKET_ID)


def test_a_stack_names_its_table_and_attachment_bucket() -> None:
    # Given a deployed data stack with a table, the attachment bucket, a log bucket, a secret
    cloudformation = _CloudFormation("Memos-prod-Data", _DATA_STACK)

    # When the target is resolved from the stack
    target = resolve_target(
        Settings(),
        table=None,
        bucket=None,
        stack="Memos-prod-Data",
        cloudformation=cloudformation,
    )

    # Then the table and the attachment bucket are found by their construct ids
    assert target == Target("memos-prod-table", "memos-prod-attachments")


def test_flags_win_and_the_environment_fills_in() -> None:
    # Given settings from the environment
    settings = Settings(table_name="env-table", bucket_name="env-bucket")

    # When only a table is named / Then it is used with the environment's bucket
    assert resolve_target(settings, table="t", bucket=None, stack=None) == Target("t", "env-bucket")
    assert resolve_target(settings, table=None, bucket=None, stack=None) == Target(
        "env-table", "env-bucket"
    )


def test_a_stack_without_a_table_is_refused() -> None:
    # Given a stack holding only a bucket
    cloudformation = _CloudFormation("Memos-dev-Api", _DATA_STACK[1:2])

    # When it is named / Then the command says what it expected
    with pytest.raises(TargetError, match="one table and one attachment bucket"):
        resolve_target(
            Settings(),
            table=None,
            bucket=None,
            stack="Memos-dev-Api",
            cloudformation=cloudformation,
        )
