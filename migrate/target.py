"""Which table and bucket a command works on: flags, a deployed stack, or the environment.

``--stack`` names a deployed data stack (``Memos-<stage>-Data``); its table and attachment
bucket are found among the stack's resources by their construct ids. Credentials and region come
from the usual AWS chain; ``MEMOS_DYNAMODB_ENDPOINT`` / ``MEMOS_S3_ENDPOINT`` point the commands
at a local emulation instead, as they do the local server.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Final

from msgspec import Struct
from msgspec.structs import replace

if TYPE_CHECKING:
    from collections.abc import Iterator

    from memos.config import Settings
    from memos.store import Stores

# The construct ids the data stack gives them (``infra.names.TABLE_ID`` and ``BUCKET_ID``;
# the infrastructure package is not installed with the CLI, a test keeps the two equal).
TABLE_CONSTRUCT_ID: Final = "Table"
BUCKET_CONSTRUCT_ID: Final = "AttachmentBucket"


class TargetError(Exception):
    """The table or bucket could not be determined."""


class Target(Struct, frozen=True):
    table: str
    bucket: str


def resolve_target(
    settings: Settings,
    *,
    table: str | None,
    bucket: str | None,
    stack: str | None,
    cloudformation: Any = None,
) -> Target:
    """Flags first, then the stack's resources, then the environment's names
    (``cloudformation``: a client to use instead of a new one)."""
    if stack and not (table and bucket):
        found = stack_resources(stack, settings.aws_region, cloudformation)
        table, bucket = table or found.table, bucket or found.bucket
    return Target(table or settings.table_name, bucket or settings.bucket_name)


def stack_resources(stack: str, region: str, client: Any = None) -> Target:
    if client is None:
        import boto3  # noqa: PLC0415 - only when a stack is named

        client = boto3.client("cloudformation", region_name=region)
    tables: list[str] = []
    buckets: list[str] = []
    for page in client.get_paginator("list_stack_resources").paginate(StackName=stack):
        for resource in page["StackResourceSummaries"]:
            logical = resource["LogicalResourceId"]
            physical = resource.get("PhysicalResourceId", "")
            kind = resource["ResourceType"]
            if kind == "AWS::DynamoDB::Table" and logical.startswith(TABLE_CONSTRUCT_ID):
                tables.append(physical)
            elif kind == "AWS::S3::Bucket" and logical.startswith(BUCKET_CONSTRUCT_ID):
                buckets.append(physical)
    if len(tables) != 1 or len(buckets) != 1:
        raise TargetError(
            f"stack {stack}: expected one table and one attachment bucket, found "
            f"{len(tables)} and {len(buckets)} (is it the data stack, Memos-<stage>-Data?)"
        )
    return Target(tables[0], buckets[0])


@contextmanager
def opened_target(
    *, table: str | None, bucket: str | None = None, stack: str | None
) -> Iterator[tuple[Target, Stores]]:
    """The stores a command works on, named by its flags, or without any the local server's
    saved data (``MEMOS_LOCAL_DATA_DIR``, what ``make serve`` loads; the server must be
    stopped), emulated while the block runs and saved at its end."""
    from memos.config import Settings  # noqa: PLC0415 - keeps --help light

    settings = Settings.from_environ()
    if stack or table or bucket:
        target = resolve_target(settings, table=table, bucket=bucket, stack=stack)
        yield target, target_stores(target, settings)
        return
    from devserver.local_data import local_data_offline  # noqa: PLC0415 - local data only

    with local_data_offline(settings) as local:
        target = Target(local.table_name, local.bucket_name)
        yield target, target_stores(target, local)


def target_stores(target: Target, settings: Settings) -> Stores:
    from memos.store import stores_from_settings  # noqa: PLC0415 - keeps --help light

    return stores_from_settings(
        replace(settings, table_name=target.table, bucket_name=target.bucket)
    )
