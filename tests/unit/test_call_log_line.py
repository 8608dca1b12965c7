"""The per-call log line: the Powertools line, written without the logging machinery."""

from __future__ import annotations

import io
import json
import logging
import time
import uuid

import pytest
from aws_lambda_powertools import Logger

from memos.observability import CallLineWriter

FIELDS = {
    "procedure": "/memos.api.v1.MemoService/GetMemo",
    "transport": "connect",
    "code": "ok",
    "latency_ms": 0.125,
    "request_id": 'id with "quotes" and caf\u00e9',
}


def _logger(level: str = "INFO") -> tuple[Logger, io.StringIO]:
    stream = io.StringIO()
    service = f"test-{uuid.uuid4().hex}"  # a fresh logger, not one configured by another test
    logger = Logger(service=service, level=level, logger_handler=logging.StreamHandler(stream))
    return logger, stream


def test_the_line_has_the_general_formatters_keys_then_the_call_fields(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a logger and a fixed clock
    logger, stream = _logger()
    created = 1_795_000_000.0425
    monkeypatch.setattr(time, "time", lambda: created)

    # When a call is logged
    CallLineWriter(logger).write(FIELDS, error=False)

    # Then one compact JSON line holds level, message, timestamp, service and the fields
    text = stream.getvalue()
    assert text.endswith("\n")
    assert text.count("\n") == 1
    assert ": " not in text
    line = json.loads(text)
    assert list(line) == ["level", "message", "timestamp", "service", *FIELDS]
    assert line == {
        "level": "INFO",
        "message": "rpc",
        "timestamp": line["timestamp"],
        "service": logger.service,
        **FIELDS,
    }
    record = logging.LogRecord(logger.service, logging.INFO, "", 0, "rpc", (), None)
    record.created, record.msecs = created, 42.0
    assert line["timestamp"] == logger.registered_formatter.formatTime(record)


def test_server_faults_are_logged_at_error() -> None:
    logger, stream = _logger()

    CallLineWriter(logger).write({**FIELDS, "code": "internal"}, error=True)

    assert json.loads(stream.getvalue())["level"] == "ERROR"


def test_the_loggers_level_is_honoured() -> None:
    # Given a logger that writes errors only
    logger, stream = _logger(level="ERROR")
    writer = CallLineWriter(logger)

    # When a successful and a failed call are logged
    writer.write(FIELDS, error=False)
    writer.write({**FIELDS, "code": "internal"}, error=True)

    # Then only the failure is written
    lines = [json.loads(text) for text in stream.getvalue().splitlines()]
    assert [line["code"] for line in lines] == ["internal"]


def test_keys_appended_to_the_logger_are_on_the_line() -> None:
    logger, stream = _logger()
    logger.append_keys(stage="prod")

    CallLineWriter(logger).write(FIELDS, error=False)

    assert json.loads(stream.getvalue())["stage"] == "prod"


def test_keys_appended_after_the_first_line_are_on_the_next_one() -> None:
    # Given a writer that has already written a line
    logger, stream = _logger()
    writer = CallLineWriter(logger)
    writer.write(FIELDS, error=False)

    # When a key is appended to the logger and another call is logged
    logger.append_keys(stage="prod")
    writer.write(FIELDS, error=False)

    # Then only the second line carries it, after the logger's own keys
    first, second = (json.loads(text) for text in stream.getvalue().splitlines())
    assert "stage" not in first
    assert list(second) == ["level", "message", "timestamp", "service", "stage", *FIELDS]


def test_a_call_field_named_like_a_logger_key_replaces_its_value_in_place() -> None:
    # Given a logger with an appended key that a call field also names
    logger, stream = _logger()
    logger.append_keys(transport="unset", stage="prod")

    # When a call is logged
    CallLineWriter(logger).write(FIELDS, error=False)

    # Then the key keeps the logger's position and takes the call's value, as the formatter does
    line = json.loads(stream.getvalue())
    assert line["transport"] == "connect"
    assert list(line)[:6] == ["level", "message", "timestamp", "service", "transport", "stage"]
