"""The AWS SDK clients of the store: created once per container, never per request."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, cast

from memos.store.schema import TTL_ATTRIBUTE, create_table_arguments

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import CreateTableInputTypeDef

    from memos.config import Settings


@cache
def dynamodb_client(region: str, endpoint: str | None = None) -> DynamoDBClient:
    """The low-level DynamoDB client for a region (and optional endpoint, e.g. DynamoDB Local)."""
    import boto3  # noqa: PLC0415 - boto3 is only imported by code that talks to AWS
    from botocore.config import Config  # noqa: PLC0415

    config = Config(
        retries={"max_attempts": 4, "mode": "standard"},
        connect_timeout=2,
        read_timeout=5,
        tcp_keepalive=True,
    )
    return boto3.client("dynamodb", region_name=region, endpoint_url=endpoint, config=config)


def dynamodb_client_for(settings: Settings) -> DynamoDBClient:
    """The cached client matching the configured region and endpoint."""
    return dynamodb_client(settings.aws_region, settings.dynamodb_endpoint)


def ensure_table(client: DynamoDBClient, table_name: str) -> bool:
    """Create the table from ``schema`` unless it exists; True when it was created.

    For the local server and tests only: in the cloud the infrastructure owns the table, and no
    request path ever calls this.
    """
    try:
        client.describe_table(TableName=table_name)
    except client.exceptions.ResourceNotFoundException:
        pass
    else:
        return False
    arguments = cast("CreateTableInputTypeDef", create_table_arguments(table_name))
    client.create_table(**arguments)
    client.get_waiter("table_exists").wait(
        TableName=table_name, WaiterConfig={"Delay": 1, "MaxAttempts": 30}
    )
    client.update_time_to_live(
        TableName=table_name,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": TTL_ATTRIBUTE},
    )
    return True
