"""Configuration, read once from the environment into a typed, immutable object."""

from __future__ import annotations

import os
from functools import cache
from typing import TYPE_CHECKING, Final

from msgspec import Struct

if TYPE_CHECKING:
    from collections.abc import Mapping

# The environment variables Settings reads: the one list of their names (infra sets them from it).
ENV_STAGE: Final = "MEMOS_STAGE"
ENV_CORS_ORIGINS: Final = "MEMOS_CORS_ORIGINS"
ENV_LOG_LEVEL: Final = "MEMOS_LOG_LEVEL"
ENV_TRACING: Final = "MEMOS_TRACING"
ENV_MAX_REQUEST_BYTES: Final = "MEMOS_MAX_REQUEST_BYTES"
ENV_COMPRESS_MIN_BYTES: Final = "MEMOS_COMPRESS_MIN_BYTES"
ENV_TABLE_NAME: Final = "MEMOS_TABLE_NAME"
ENV_BUCKET_NAME: Final = "MEMOS_BUCKET_NAME"
ENV_DYNAMODB_ENDPOINT: Final = "MEMOS_DYNAMODB_ENDPOINT"
ENV_S3_ENDPOINT: Final = "MEMOS_S3_ENDPOINT"
ENV_JWT_SECRET_NAME: Final = "MEMOS_JWT_SECRET_NAME"  # noqa: S105 - a variable name
ENV_LOCAL_DATA_DIR: Final = "MEMOS_LOCAL_DATA_DIR"
ENV_INSTANCE_URL: Final = "MEMOS_INSTANCE_URL"
ENV_DEMO: Final = "MEMOS_DEMO"
# The largest file a direct-to-S3 upload may carry (attachment function).
ENV_DIRECT_UPLOAD_MAX_BYTES: Final = "MEMOS_DIRECT_UPLOAD_MAX_BYTES"
# The SQS queue the webhook dispatcher sends deliveries to (dispatcher function only).
ENV_WEBHOOK_QUEUE_URL: Final = "MEMOS_WEBHOOK_QUEUE_URL"
# Tests and local development only (never set by the stacks): SSO may call loopback providers.
ENV_ALLOW_LOOPBACK_IDENTITY_PROVIDERS: Final = "MEMOS_ALLOW_LOOPBACK_IDENTITY_PROVIDERS"
# Tests and local development only (never set by the stacks): webhooks may target loopback.
ENV_ALLOW_LOOPBACK_WEBHOOKS: Final = "MEMOS_ALLOW_LOOPBACK_WEBHOOKS"
# Read as fallbacks: the Powertools log level and the region the AWS runtime sets.
ENV_POWERTOOLS_LOG_LEVEL: Final = "POWERTOOLS_LOG_LEVEL"
ENV_AWS_REGION: Final = "AWS_REGION"
ENV_AWS_DEFAULT_REGION: Final = "AWS_DEFAULT_REGION"

LOCAL_CORS_ORIGINS = ("http://localhost:3001", "http://127.0.0.1:3001")

DEFAULT_DIRECT_UPLOAD_MAX_BYTES: Final = 1024 * 1024 * 1024  # 1 GiB
# S3's largest form (POST) upload, which is how a direct upload reaches the bucket.
MAX_DIRECT_UPLOAD_BYTES: Final = 5 * 1024 * 1024 * 1024

_TRUE = {"1", "true", "yes", "on"}


def _split_list(raw: str | None) -> tuple[str, ...]:
    if not raw:
        return ()
    return tuple(item.strip().rstrip("/") for item in raw.split(",") if item.strip())


def _flag(raw: str | None) -> bool:
    return (raw or "").strip().lower() in _TRUE


def _positive_int(raw: str | None, default: int, name: str) -> int:
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from exc
    if value <= 0:
        raise ValueError(f"{name} must be positive, got {value}")
    return value


def _at_most(value: int, limit: int, name: str) -> int:
    if value > limit:
        raise ValueError(f"{name} must be at most {limit}, got {value}")
    return value


class Settings(Struct, frozen=True):
    """Everything the service code reads from its environment.

    Variable names are listed in the README's configuration table.
    """

    stage: str = "local"
    cors_origins: tuple[str, ...] = ()
    log_level: str = "INFO"
    tracing_enabled: bool = False
    max_request_bytes: int = 32 * 1024 * 1024
    compress_min_bytes: int = 1024
    table_name: str = "memos"
    bucket_name: str = "memos-attachments"
    aws_region: str = "us-east-1"
    dynamodb_endpoint: str | None = None
    s3_endpoint: str | None = None
    jwt_secret_name: str | None = None
    local_data_dir: str = ".local-data"
    instance_url: str = ""
    demo: bool = False
    direct_upload_max_bytes: int = DEFAULT_DIRECT_UPLOAD_MAX_BYTES
    allow_loopback_identity_providers: bool = False
    webhook_queue_url: str | None = None
    allow_loopback_webhooks: bool = False

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls(
            stage=env.get(ENV_STAGE, "local"),
            cors_origins=_split_list(env.get(ENV_CORS_ORIGINS)),
            log_level=env.get(ENV_LOG_LEVEL, env.get(ENV_POWERTOOLS_LOG_LEVEL, "INFO")).upper(),
            tracing_enabled=_flag(env.get(ENV_TRACING)),
            max_request_bytes=_positive_int(
                env.get(ENV_MAX_REQUEST_BYTES), 32 * 1024 * 1024, ENV_MAX_REQUEST_BYTES
            ),
            compress_min_bytes=_positive_int(
                env.get(ENV_COMPRESS_MIN_BYTES), 1024, ENV_COMPRESS_MIN_BYTES
            ),
            table_name=env.get(ENV_TABLE_NAME, "memos"),
            bucket_name=env.get(ENV_BUCKET_NAME, "memos-attachments"),
            aws_region=env.get(ENV_AWS_REGION, env.get(ENV_AWS_DEFAULT_REGION, "us-east-1")),
            dynamodb_endpoint=env.get(ENV_DYNAMODB_ENDPOINT) or None,
            s3_endpoint=env.get(ENV_S3_ENDPOINT) or None,
            jwt_secret_name=env.get(ENV_JWT_SECRET_NAME) or None,
            local_data_dir=env.get(ENV_LOCAL_DATA_DIR) or ".local-data",
            instance_url=env.get(ENV_INSTANCE_URL, "").strip(),
            demo=_flag(env.get(ENV_DEMO)),
            direct_upload_max_bytes=_at_most(
                _positive_int(
                    env.get(ENV_DIRECT_UPLOAD_MAX_BYTES),
                    DEFAULT_DIRECT_UPLOAD_MAX_BYTES,
                    ENV_DIRECT_UPLOAD_MAX_BYTES,
                ),
                MAX_DIRECT_UPLOAD_BYTES,
                ENV_DIRECT_UPLOAD_MAX_BYTES,
            ),
            allow_loopback_identity_providers=_flag(env.get(ENV_ALLOW_LOOPBACK_IDENTITY_PROVIDERS)),
            webhook_queue_url=env.get(ENV_WEBHOOK_QUEUE_URL) or None,
            allow_loopback_webhooks=_flag(env.get(ENV_ALLOW_LOOPBACK_WEBHOOKS)),
        )


@cache
def get_settings() -> Settings:
    """The process-wide settings, read on first use."""
    return Settings.from_environ()
