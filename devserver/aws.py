"""Where the local server's AWS lives: real endpoints when configured, moto in process otherwise."""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator

    from memos.config import Settings

_FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}


def needs_emulation(settings: Settings) -> bool:
    """Emulate unless both DynamoDB and S3 endpoints point somewhere real."""
    return not (settings.dynamodb_endpoint and settings.s3_endpoint)


@contextmanager
def local_aws(settings: Settings) -> Iterator[str]:
    """Yields a description of the AWS backend in use while it is active."""
    if not needs_emulation(settings):
        yield f"DynamoDB at {settings.dynamodb_endpoint}, S3 at {settings.s3_endpoint}"
        return
    from moto import mock_aws  # noqa: PLC0415 - development dependency, only when emulating

    for name, value in _FAKE_CREDENTIALS.items():
        os.environ.setdefault(name, value)
    os.environ.setdefault("AWS_DEFAULT_REGION", settings.aws_region)
    with mock_aws(), one_emulated_request_at_a_time():
        yield "DynamoDB and S3 emulated in process (moto); data lasts until the server stops"


@contextmanager
def one_emulated_request_at_a_time() -> Iterator[None]:
    """Let moto apply one request at a time while active.

    The local server answers requests from several threads. DynamoDB applies each request
    atomically; moto does not (a cancelled transaction puts back a snapshot of the table, undoing
    whatever another thread wrote meanwhile), so concurrent emulated requests are serialised.
    Requests still run in parallel everywhere else: bcrypt, the services, the HTTP server.
    """
    from moto.core.botocore_stubber import BotocoreStubber  # noqa: PLC0415 - as above

    apply = BotocoreStubber.process_request
    lock = threading.Lock()

    def apply_alone(self: BotocoreStubber, request: Any) -> Any:
        with lock:
            return apply(self, request)

    BotocoreStubber.process_request = apply_alone  # type: ignore[method-assign]
    try:
        yield
    finally:
        BotocoreStubber.process_request = apply  # type: ignore[method-assign]
