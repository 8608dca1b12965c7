"""The AWS SDK clients: created once per container, never per request, all with one time policy.

Every client (DynamoDB here; S3 and Secrets Manager through :func:`aws_client`) gets the same
connect and read timeouts, retry mode and attempt count from :data:`AWS_TIMEOUTS`, and checks the
request's time budget (:mod:`memos.store.budget`) before each attempt. The worst case this allows
is worked out in ``docs/decisions.md`` and by :meth:`AwsTimeouts.worst_case_request_seconds`.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any, Final, cast

from msgspec import Struct

from memos.store.budget import DEFAULT_REQUEST_BUDGET_SECONDS, watch_budget
from memos.store.schema import TTL_ATTRIBUTE, create_table_arguments

if TYPE_CHECKING:
    from botocore.config import Config
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import CreateTableInputTypeDef

    from memos.config import Settings

# botocore's standard retry mode waits rand(0, 1) * min(scale * 2**(n - 1), 20) seconds after
# attempt n; the scale is 1 s for throttling (25-50 ms otherwise).
_THROTTLING_BACKOFF_SCALE: Final = 1.0
_MAX_BACKOFF: Final = 20.0


class AwsTimeouts(Struct, frozen=True):
    """How long one AWS call may take, and how long one request may keep making them."""

    connect_seconds: float = 1.0
    read_seconds: float = 3.0
    total_attempts: int = 3  # the first attempt included
    request_budget_seconds: float = DEFAULT_REQUEST_BUDGET_SECONDS

    def attempt_seconds(self) -> float:
        """The longest one attempt can take: connecting, then waiting for the answer."""
        return self.connect_seconds + self.read_seconds

    def backoff_seconds(self, attempt: int) -> float:
        """The longest wait after failed attempt ``attempt`` (1-based) before the next."""
        return min(_THROTTLING_BACKOFF_SCALE * 2.0 ** (attempt - 1), _MAX_BACKOFF)

    def worst_case_call_seconds(self) -> float:
        """One call on its own: every attempt hangs to its timeouts, every backoff is longest."""
        waits = sum(self.backoff_seconds(n) for n in range(1, self.total_attempts))
        return self.total_attempts * self.attempt_seconds() + waits

    def worst_case_request_seconds(self) -> float:
        """A whole request, whatever number of calls it makes.

        No attempt starts after the budget; one started just before it may hang for a whole
        attempt, or a backoff begun before it may run past it (then the next attempt is refused).
        """
        longest_backoff = max(
            (self.backoff_seconds(n) for n in range(1, self.total_attempts)), default=0.0
        )
        bound = self.request_budget_seconds + max(self.attempt_seconds(), longest_backoff)
        return min(bound, self.request_budget_seconds + self.worst_case_call_seconds())


AWS_TIMEOUTS: Final = AwsTimeouts()


def aws_client_config(timeouts: AwsTimeouts = AWS_TIMEOUTS) -> Config:
    """The botocore configuration every client of this project uses."""
    from botocore.config import Config  # noqa: PLC0415 - boto3 only loads where AWS is called

    return Config(
        retries={"total_max_attempts": timeouts.total_attempts, "mode": "standard"},
        connect_timeout=timeouts.connect_seconds,
        read_timeout=timeouts.read_seconds,
        tcp_keepalive=True,
    )


@cache
def aws_client(service: str, region: str, endpoint: str | None = None) -> Any:
    """The client of one AWS service (``"s3"``, ``"secretsmanager"``...) under the common time
    policy, checking each request's budget."""
    client = _botocore_session().create_client(
        service, region_name=region, endpoint_url=endpoint, config=aws_client_config()
    )
    watch_budget(client)
    return client


@cache
def s3_client(region: str, endpoint: str | None = None) -> Any:
    """The S3 client of the attachment bucket: SigV4 (presigned URLs need it), and path-style
    addressing when an endpoint is given (a local emulator has no per-bucket host names)."""
    from botocore.config import Config  # noqa: PLC0415 - boto3 only loads where AWS is called

    s3_config = Config(
        signature_version="s3v4", s3={"addressing_style": "path" if endpoint else "auto"}
    )
    client = _botocore_session().create_client(
        "s3", region_name=region, endpoint_url=endpoint, config=aws_client_config().merge(s3_config)
    )
    watch_budget(client)
    return client


@cache
def dynamodb_client(region: str, endpoint: str | None = None) -> DynamoDBClient:
    """The low-level DynamoDB client for a region (and optional endpoint, e.g. DynamoDB Local)."""
    client: DynamoDBClient = _botocore_session().create_client(
        "dynamodb", region_name=region, endpoint_url=endpoint, config=aws_client_config()
    )
    watch_budget(client)
    return client


@cache
def _botocore_session() -> Any:
    """One botocore session for every client.

    botocore rather than boto3: boto3's import also loads s3transfer and multiprocessing, tens of
    milliseconds of cold start for nothing, since only plain clients are used here. Its models
    come from the trimmed copy of :mod:`memos.store.aws_models` when there is one.
    """
    import botocore.session  # noqa: PLC0415 - only imported by code that talks to AWS

    from memos.store.aws_models import trimmed_loader  # noqa: PLC0415

    session = botocore.session.get_session()
    loader = trimmed_loader()
    if loader is not None:
        session.register_component("data_loader", loader)
    return session


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
