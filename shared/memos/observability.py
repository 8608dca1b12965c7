"""Structured logging (the per-call line, and the Powertools Logger for the rest) and optional
tracing, created once per process."""

from __future__ import annotations

import json
import logging
import math
import sys
import threading
import time
from functools import cache
from json.encoder import encode_basestring_ascii as _quote
from typing import TYPE_CHECKING, Any, TextIO

from memos.config import get_settings

if TYPE_CHECKING:
    from aws_lambda_powertools import Logger

CALL_MESSAGE = "rpc"
SERVICE = "memos"
SERVICE_KEY = "service"
_MS_MARK = "<ms>"
# The Powertools formatter's default time format, its "%F" (milliseconds) marked for filling in.
_TIME_FORMAT = "%Y-%m-%d %H:%M:%S," + _MS_MARK + "%z"
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


@cache
def get_logger() -> Logger:
    from aws_lambda_powertools import Logger  # noqa: PLC0415 - keeps import off module load

    return Logger(service=SERVICE, level=get_settings().log_level)


class CallLineWriter:
    """Writes the one line logged for every call, in the Powertools logger's format, to stdout.

    Going through ``logging`` (record, caller lookup, handler chain, general formatter) cost
    about as much as the rest of a warm call's own work, and loading Powertools for it about 20 ms
    of every cold start; other log lines are rare and load the Powertools logger when written.
    The line is what the Powertools logger's formatter writes, built directly: level, message,
    timestamp (its default format), ``service``, then the call's fields; one compact JSON
    object. A call field named ``service`` replaces it in place, as the formatter does. The
    configured level is honoured and the stream flushed after each line, as a stream handler does.
    """

    def __init__(self, stream: TextIO, *, level: str, service: str = SERVICE) -> None:
        self.stream = stream  # where lines go; the process's stdout, as Powertools' handler
        self._threshold = logging.getLevelNamesMapping().get(level.upper(), logging.INFO)
        self._service_json = f",{_quote(SERVICE_KEY)}:{_quote(service)}"
        self._second = -1
        self._time_parts = ("", "")
        self._lock = threading.Lock()

    def write(self, fields: dict[str, Any], *, error: bool) -> None:
        level = logging.ERROR if error else logging.INFO
        if level < self._threshold:
            return
        level_name = "ERROR" if error else "INFO"
        head = f'{{"level":"{level_name}","message":"{CALL_MESSAGE}","timestamp":'
        parts = [head, _quote(self._timestamp(time.time()))]
        if SERVICE_KEY in fields:
            parts.append(f",{_quote(SERVICE_KEY)}:{_json_value(fields[SERVICE_KEY])}")
        else:
            parts.append(self._service_json)
        for key, value in fields.items():
            if key != SERVICE_KEY:
                parts.append(f",{_quote(key)}:{_json_value(value)}")
        parts.append("}\n")
        text = "".join(parts)
        with self._lock:
            self.stream.write(text)
            self.stream.flush()

    def _timestamp(self, created: float) -> str:
        second = int(created)
        if second != self._second:
            # Powertools' default format, rendered once a second around the milliseconds.
            stamp = time.strftime(_TIME_FORMAT, time.localtime(second))
            head, _, tail = stamp.partition(_MS_MARK)
            self._second, self._time_parts = second, (head, tail)
        head, tail = self._time_parts
        return f"{head}{int((created - second) * 1000):03d}{tail}"


@cache
def call_line_writer() -> CallLineWriter:
    return CallLineWriter(sys.stdout, level=get_settings().log_level)


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
