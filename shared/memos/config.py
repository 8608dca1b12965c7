"""Configuration, read once from the environment into a typed, immutable object."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

LOCAL_CORS_ORIGINS = ("http://localhost:3001", "http://127.0.0.1:3001")

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


@dataclass(frozen=True, slots=True)
class Settings:
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

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls(
            stage=env.get("MEMOS_STAGE", "local"),
            cors_origins=_split_list(env.get("MEMOS_CORS_ORIGINS")),
            log_level=env.get("MEMOS_LOG_LEVEL", env.get("POWERTOOLS_LOG_LEVEL", "INFO")).upper(),
            tracing_enabled=_flag(env.get("MEMOS_TRACING")),
            max_request_bytes=_positive_int(
                env.get("MEMOS_MAX_REQUEST_BYTES"), 32 * 1024 * 1024, "MEMOS_MAX_REQUEST_BYTES"
            ),
            compress_min_bytes=_positive_int(
                env.get("MEMOS_COMPRESS_MIN_BYTES"), 1024, "MEMOS_COMPRESS_MIN_BYTES"
            ),
            table_name=env.get("MEMOS_TABLE_NAME", "memos"),
            bucket_name=env.get("MEMOS_BUCKET_NAME", "memos-attachments"),
            aws_region=env.get("AWS_REGION", env.get("AWS_DEFAULT_REGION", "us-east-1")),
            dynamodb_endpoint=env.get("MEMOS_DYNAMODB_ENDPOINT") or None,
            s3_endpoint=env.get("MEMOS_S3_ENDPOINT") or None,
            jwt_secret_name=env.get("MEMOS_JWT_SECRET_NAME") or None,
            local_data_dir=env.get("MEMOS_LOCAL_DATA_DIR") or ".local-data",
            instance_url=env.get("MEMOS_INSTANCE_URL", "").strip(),
            demo=_flag(env.get("MEMOS_DEMO")),
        )


@cache
def get_settings() -> Settings:
    """The process-wide settings, read on first use."""
    return Settings.from_environ()
