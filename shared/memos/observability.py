"""Structured logging (Powertools Logger) and optional tracing, created once per process."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from memos.config import get_settings

if TYPE_CHECKING:
    from aws_lambda_powertools import Logger


@cache
def get_logger() -> Logger:
    from aws_lambda_powertools import Logger  # noqa: PLC0415 - keeps import off module load

    return Logger(service="memos", level=get_settings().log_level)


@cache
def get_tracer() -> Any | None:
    """A Powertools Tracer only when tracing is switched on (it costs import time otherwise)."""
    if not get_settings().tracing_enabled:
        return None
    from aws_lambda_powertools import Tracer  # noqa: PLC0415 - only with tracing on

    return Tracer(service="memos")
