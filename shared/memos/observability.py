"""Structured logging (Powertools Logger) and optional tracing, created once per process."""

from __future__ import annotations

import json
from functools import cache
from typing import TYPE_CHECKING, Any

from memos.config import get_settings

if TYPE_CHECKING:
    import logging

    from aws_lambda_powertools import Logger

CALL_FIELDS_ATTRIBUTE = "memos_call"


def _call_line_formatter() -> Any:
    from aws_lambda_powertools.logging.formatter import (  # noqa: PLC0415
        LambdaPowertoolsFormatter,
    )

    class CallLineFormatter(LambdaPowertoolsFormatter):
        """Powertools' JSON formatter with a fast path for the per-call line.

        The general formatter costs about twice as much as the rest of a warm call's own work,
        so the one line written for every call is built directly: the same level, message,
        timestamp and service keys, any keys appended to the logger, then the call's fields.
        Every other record goes through the general formatter unchanged.
        """

        def format(self, record: logging.LogRecord) -> str:
            fields = getattr(record, CALL_FIELDS_ATTRIBUTE, None)
            if fields is None:
                return super().format(record)
            line: dict[str, Any] = {
                "level": record.levelname,
                "message": record.msg,
                "timestamp": self.formatTime(record),
            }
            for key, value in self.log_format.items():
                if value is not None and not (isinstance(value, str) and "%(" in value):
                    line[key] = value
            line.update(fields)
            return json.dumps(line, separators=(",", ":"), default=str)

    return CallLineFormatter()


@cache
def get_logger() -> Logger:
    from aws_lambda_powertools import Logger  # noqa: PLC0415 - keeps import off module load

    return Logger(
        service="memos",
        level=get_settings().log_level,
        logger_formatter=_call_line_formatter(),
    )


def log_call(fields: dict[str, Any], *, error: bool) -> None:
    """The one structured line written for every call."""
    logger = get_logger()
    extra = {CALL_FIELDS_ATTRIBUTE: fields}
    if error:
        logger.error("rpc", extra=extra)
    else:
        logger.info("rpc", extra=extra)


@cache
def get_tracer() -> Any | None:
    """A Powertools Tracer only when tracing is switched on (it costs import time otherwise)."""
    if not get_settings().tracing_enabled:
        return None
    from aws_lambda_powertools import Tracer  # noqa: PLC0415 - only with tracing on

    return Tracer(service="memos")
