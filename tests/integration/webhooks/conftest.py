"""Webhooks end to end on moto: the memo API writes, the local loop reads the change stream,
queues deliveries and sends them to a receiver listening on loopback.

- ``receiver``: a :class:`Receiver` on ``127.0.0.1`` that records each request and answers
  from a script (default: 200 ``{"code":0}``).
- ``loop``: the local webhook loop over the test table, retrying at once (backoff 0) and
  recording its log lines.
- ``api``: MemoService and UserService over the same moto table, loopback webhooks allowed.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

import pytest
from msgspec import Struct, field

from devserver.webhooks import LocalWebhookLoop
from functions.memo.service import MemoService
from functions.user.service import UserService
from memos.config import ENV_ALLOW_LOOPBACK_WEBHOOKS, Settings
from memos.rpc.app import create_service_app
from tests.integration.user.conftest import TokensForUsers, add_user, token_of
from tests.service_api import ServiceApi

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from memos.store import Stores

__all__ = ["Api", "Receiver", "RecordingLog", "add_user", "token_of"]


class Received(Struct):
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class Receiver(Struct):
    """Answers POSTs with the next scripted ``(status, body)``, then with ``default``."""

    server: ThreadingHTTPServer
    script: list[tuple[int, bytes]] = field(default_factory=list)
    default: tuple[int, bytes] = (200, b'{"code":0}')
    received: list[Received] = field(default_factory=list)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}/hook"

    def answer(self) -> tuple[int, bytes]:
        return self.script.pop(0) if self.script else self.default


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        receiver: Receiver = self.server.receiver  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        receiver.received.append(Received({k.lower(): v for k, v in self.headers.items()}, body))
        status, answer = receiver.answer()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    found = Receiver(server)
    server.receiver = found  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield found
    server.shutdown()
    server.server_close()


class RecordingLog:
    def __init__(self) -> None:
        self.lines: list[tuple[str, str, dict[str, Any]]] = []

    def info(self, msg: str, *args: Any, **kwargs: Any) -> None:
        self.lines.append(("info", msg, kwargs.get("extra") or {}))

    def warning(self, msg: str, *args: Any, **kwargs: Any) -> None:
        self.lines.append(("warning", msg, kwargs.get("extra") or {}))

    def messages(self) -> list[str]:
        return [msg for _, msg, _ in self.lines]


@pytest.fixture
def settings(dynamodb_table: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Settings:
    monkeypatch.setenv(ENV_ALLOW_LOOPBACK_WEBHOOKS, "true")
    monkeypatch.setenv("MEMOS_LOCAL_DATA_DIR", str(tmp_path))
    return Settings.from_environ()


@pytest.fixture
def log() -> RecordingLog:
    return RecordingLog()


@pytest.fixture
def loop(settings: Settings, moto_stores: Stores, log: RecordingLog) -> LocalWebhookLoop:
    return LocalWebhookLoop(settings, moto_stores, backoff=lambda attempt: 0, log=log)


class Api(ServiceApi):
    service: str = "MemoService"

    def webhook(self, token: str, user_id: int, url: str) -> Any:
        return self.ok(
            "CreateUserWebhook",
            {"parent": f"users/{user_id}", "webhook": {"url": url, "displayName": "hook"}},
            token,
            service="UserService",
        )


@pytest.fixture
def api(moto_stores: Stores, settings: Settings) -> Api:
    app = create_service_app(
        MemoService(moto_stores, settings),
        UserService(moto_stores, settings),
        verifier=TokensForUsers(moto_stores),
        cors_origins=[],
    )
    return Api(app)
