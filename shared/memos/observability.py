"""Structured logging (Powertools Logger) and optional tracing, created once per process."""

from __future__ import annotations

import json
import logging
import math
import time
from functools import cache
from json.encoder import encode_basestring_ascii as _quote
from typing import TYPE_CHECKING, Any

from memos.config import get_settings

if TYPE_CHECKING:
    from aws_lambda_powertools import Logger
    from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter

CALL_MESSAGE = "rpc"
_MS_MARK = "<ms>"
_HEAD_KEYS = frozenset({"level", "message", "timestamp"})
# For values other than strings and numbers; built once (``json.dumps`` builds one per call).
_VALUE_ENCODER = json.JSONEncoder(separators=(",", ":"), default=str)


def _json_value(value: Any) -> str:
    """``json.dumps`` of one value, with strings and finite numbers written directly."""
    kind = type(value)
    if kind is str:
        return str(_quote(value))
    if kind is int or (kind is float and math.isfinite(value)):
        return repr(value)
    return _VALUE_ENCODER.encode(value)


def _json_line(line: dict[str, Any]) -> str:
    """The compact JSON object ``json.dumps`` would write, without building an encoder."""
    return (
        "{" + ",".join(f"{_quote(key)}:{_json_value(value)}" for key, value in line.items()) + "}"
    )


@cache
def get_logger() -> Logger:
    from aws_lambda_powertools import Logger  # noqa: PLC0415 - keeps import off module load

    return Logger(service="memos", level=get_settings().log_level)


class CallLineWriter:
    """Writes the one line logged for every call straight to the Powertools logger's stream.

    Going through ``logging`` (record, caller lookup, handler chain, general formatter) cost
    about as much as the rest of a warm call's own work. The line is the general formatter's,
    built directly: level, message, timestamp (same format), the logger's own keys with a fixed
    value (``service``, any appended ones), then the call's fields; one JSON object, compact.
    The logger's level is honoured and the stream flushed after each line, as the handler does.
    If the logger's handler is not a plain stream handler, lines go through ``logging``.
    """

    def __init__(self, logger: Logger) -> None:
        self._logger: logging.Logger = logger._logger
        handler = logger.registered_handler
        self._handler = handler if type(handler) is logging.StreamHandler else None
        self._formatter: LambdaPowertoolsFormatter = logger.registered_formatter  # type: ignore[assignment]
        self._second = -1
        self._time_parts = ("", "")
        self._format_snapshot: tuple[tuple[str, Any], ...] | None = None
        self._fixed: tuple[dict[str, Any], str | None] = ({}, None)

    def write(self, fields: dict[str, Any], *, error: bool) -> None:
        level = logging.ERROR if error else logging.INFO
        if not self._logger.isEnabledFor(level):
            return
        handler = self._handler
        if handler is None or level < handler.level or handler.filters:
            self._logger.log(level, CALL_MESSAGE, extra=fields)
            return
        level_name = "ERROR" if error else "INFO"
        timestamp = self._timestamp(time.time())
        fixed, fixed_json = self._fixed_keys()
        if fixed_json is not None and fixed.keys().isdisjoint(fields):
            # The usual case, written without building the line as a dict first.
            parts = [f'{{"level":"{level_name}","message":"{CALL_MESSAGE}","timestamp":']
            parts.append(_quote(timestamp))
            parts.append(fixed_json)
            for key, value in fields.items():
                parts.append(f",{_quote(key)}:{_json_value(value)}")
            parts.append("}")
            text = "".join(parts) + handler.terminator
        else:
            line: dict[str, Any] = {
                "level": level_name,
                "message": CALL_MESSAGE,
                "timestamp": timestamp,
            }
            line.update(fixed)
            line.update(fields)
            text = _json_line(line) + handler.terminator
        handler.acquire()
        try:
            handler.stream.write(text)
            handler.stream.flush()
        finally:
            handler.release()

    def _fixed_keys(self) -> tuple[dict[str, Any], str | None]:
        """The logger's own keys with a fixed value, and their JSON after the timestamp (None when
        one of them would replace level, message or timestamp); redone when the keys change."""
        snapshot = tuple(self._formatter.log_format.items())
        if snapshot != self._format_snapshot:
            fixed = {
                key: value
                for key, value in snapshot
                if value is not None and not (isinstance(value, str) and "%(" in value)
            }
            replaces_head = not fixed.keys().isdisjoint(_HEAD_KEYS)
            fixed_json = "".join(
                f",{_quote(key)}:{_json_value(value)}" for key, value in fixed.items()
            )
            self._format_snapshot = snapshot
            self._fixed = (fixed, None if replaces_head else fixed_json)
        return self._fixed

    def _timestamp(self, created: float) -> str:
        formatter = self._formatter
        if formatter.datefmt or formatter.use_rfc3339_iso8601:
            record = logging.LogRecord("memos", logging.INFO, "", 0, CALL_MESSAGE, (), None)
            record.created, record.msecs = created, int((created - int(created)) * 1000) + 0.0
            return formatter.formatTime(record)
        second = int(created)
        if second != self._second:
            # Powertools' default format, rendered once a second around the milliseconds.
            pattern = formatter.default_time_format.replace(
                formatter.custom_ms_time_directive, _MS_MARK
            )
            stamp = time.strftime(pattern, formatter.converter(second))
            head, _, tail = stamp.partition(_MS_MARK)
            self._second, self._time_parts = second, (head, tail)
        head, tail = self._time_parts
        return f"{head}{int((created - second) * 1000):03d}{tail}"


@cache
def call_line_writer() -> CallLineWriter:
    return CallLineWriter(get_logger())


def log_call(fields: dict[str, Any], *, error: bool) -> None:
    """The one structured line written for every call."""
    call_line_writer().write(fields, error=error)


@cache
def get_tracer() -> Any | None:
    """A Powertools Tracer only when tracing is switched on (it costs import time otherwise)."""
    if not get_settings().tracing_enabled:
        return None
    from aws_lambda_powertools import Tracer  # noqa: PLC0415 - only with tracing on

    return Tracer(service="memos")
