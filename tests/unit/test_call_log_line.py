"""The per-call log line: the Powertools logger's line, written without Powertools or logging."""

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


def _powertools_line(service: str, created: float, fields: dict[str, object]) -> dict[str, object]:
    """What a Powertools logger writes for the same call at the same instant."""
    stream = io.StringIO()
    logger = Logger(service=service, level="INFO", logger_handler=logging.StreamHandler(stream))
    record = logging.LogRecord(service, logging.INFO, __file__, 1, "rpc", (), None)
    record.created, record.msecs = created, (created - int(created)) * 1000
    for key, value in fields.items():
        setattr(record, key, value)
    logger.registered_handler.handle(record)
    line: dict[str, object] = json.loads(stream.getvalue())
    return line


def test_the_line_is_the_powertools_loggers_without_the_call_site(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a writer and a fixed clock
    stream = io.StringIO()
    created = 1_795_000_000.0425
    monkeypatch.setattr(time, "time", lambda: created)
    service = f"test-{uuid.uuid4().hex}"

    # When a call is logged
    CallLineWriter(stream, level="INFO", service=service).write(FIELDS, error=False)

    # Then one compact JSON line holds level, message, timestamp, service and the fields, as the
    # Powertools logger writes them (less its location: the call site says nothing here)
    text = stream.getvalue()
    assert text.endswith("\n")
    assert text.count("\n") == 1
    assert ": " not in text
    line = json.loads(text)
    assert list(line) == ["level", "message", "timestamp", "service", *FIELDS]
    theirs = _powertools_line(service, created, FIELDS)
    theirs.pop("location")
    assert line == theirs
    assert list(line) == list(theirs)


def test_server_faults_are_logged_at_error() -> None:
    stream = io.StringIO()

    CallLineWriter(stream, level="INFO").write({**FIELDS, "code": "internal"}, error=True)

    assert json.loads(stream.getvalue())["level"] == "ERROR"


def test_the_configured_level_is_honoured() -> None:
    # Given a writer for errors only
    stream = io.StringIO()
    writer = CallLineWriter(stream, level="error")

    # When a successful and a failed call are logged
    writer.write(FIELDS, error=False)
    writer.write({**FIELDS, "code": "internal"}, error=True)

    # Then only the failure is written
    lines = [json.loads(text) for text in stream.getvalue().splitlines()]
    assert [line["code"] for line in lines] == ["internal"]


def test_an_unknown_level_writes_from_info() -> None:
    stream = io.StringIO()

    CallLineWriter(stream, level="chatty").write(FIELDS, error=False)

    assert json.loads(stream.getvalue())["code"] == "ok"


def test_a_call_field_named_service_replaces_it_in_place() -> None:
    stream = io.StringIO()

    CallLineWriter(stream, level="INFO").write({"service": "other", **FIELDS}, error=False)

    line = json.loads(stream.getvalue())
    assert line["service"] == "other"
    assert list(line) == ["level", "message", "timestamp", "service", *FIELDS]


def test_values_that_are_not_text_or_numbers_are_written_as_json() -> None:
    stream = io.StringIO()

    CallLineWriter(stream, level="INFO").write(
        {"ratio": float("nan"), "tags": ["a", "b"], "when": time.gmtime(0)[:3]}, error=False
    )

    line = json.loads(stream.getvalue())
    assert line["tags"] == ["a", "b"]
    assert line["when"] == [1970, 1, 1]
    assert line["ratio"] != line["ratio"]  # NaN, as json.dumps writes it
