"""Where the local server's AWS lives: real endpoints when configured, moto otherwise.

Emulated, DynamoDB runs in process (a call costs about 2 ms there against 5-6 ms through moto's
HTTP server) and S3 is served over HTTP on a local port by moto's server mode, in the same
process and so over the same emulated state: presigned URLs (direct uploads, redirects to large
files) then point somewhere a browser or curl can reach.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Final

from msgspec import Struct
from msgspec.structs import replace

from memos.config import ENV_S3_ENDPOINT, get_settings

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from memos.config import Settings
    from memos.store.blobs import BlobStore

DEFAULT_S3_HOST: Final = "127.0.0.1"
DEFAULT_S3_PORT: Final = 8082
# Browsers may read S3's answers and send these from the web app's origin (presigned form
# uploads, redirected downloads), as the deployed bucket's CORS rule allows.
_CORS_METHODS: Final = ["GET", "HEAD", "POST"]

_FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}


class LocalAws(Struct, frozen=True):
    """The AWS backend in use: the settings to build the app with, and a line saying what it is."""

    settings: Settings
    description: str


def needs_emulation(settings: Settings) -> bool:
    """Emulate unless both DynamoDB and S3 endpoints point somewhere real."""
    return not (settings.dynamodb_endpoint and settings.s3_endpoint)


@contextmanager
def local_aws(
    settings: Settings, *, s3_host: str = DEFAULT_S3_HOST, s3_port: int = DEFAULT_S3_PORT
) -> Iterator[LocalAws]:
    """The AWS backend, active while the block runs.

    Emulated, S3 is served on ``s3_host:s3_port`` (0: any free port) and the yielded settings
    point the S3 endpoint there (so does the environment, for code reading it).
    """
    if not needs_emulation(settings):
        yield LocalAws(
            settings, f"DynamoDB at {settings.dynamodb_endpoint}, S3 at {settings.s3_endpoint}"
        )
        return
    from moto import mock_aws  # noqa: PLC0415 - development dependency, only when emulating

    for name, value in _FAKE_CREDENTIALS.items():
        os.environ.setdefault(name, value)
    os.environ.setdefault("AWS_DEFAULT_REGION", settings.aws_region)
    with mock_aws(), one_emulated_request_at_a_time():
        if settings.s3_endpoint:
            yield LocalAws(settings, f"DynamoDB emulated in process, S3 at {settings.s3_endpoint}")
            return
        with s3_over_http(s3_host, s3_port) as endpoint:
            before = os.environ.get(ENV_S3_ENDPOINT)
            os.environ[ENV_S3_ENDPOINT] = endpoint
            get_settings.cache_clear()
            try:
                yield LocalAws(
                    replace(settings, s3_endpoint=endpoint),
                    f"DynamoDB emulated in process, S3 emulated at {endpoint} (moto)",
                )
            finally:  # the endpoint dies with the block: later code must not find it
                if before is None:
                    os.environ.pop(ENV_S3_ENDPOINT, None)
                else:
                    os.environ[ENV_S3_ENDPOINT] = before
                get_settings.cache_clear()


@contextmanager
def s3_over_http(host: str, port: int) -> Iterator[str]:
    """moto's server mode on ``host:port`` while the block runs; yields its endpoint URL.

    It shares the process's emulated state, so objects the app writes are the ones a presigned
    URL reads. Raises OSError when the port is taken (moto's server would fail in its thread
    and leave the caller waiting).
    """
    from moto.server import ThreadedMotoServer  # noqa: PLC0415 - development dependency

    _check_free(host, port)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    server = ThreadedMotoServer(ip_address=host, port=port, verbose=False)
    server.start()
    try:
        bound_host, bound_port = server.get_host_and_port()
        yield f"http://{bound_host}:{bound_port}"
    finally:
        server.stop()


def allow_browser_access(blobs: BlobStore, origins: Sequence[str]) -> None:
    """Give the emulated bucket the CORS rule the deployed one has: ``origins`` may post forms
    to it and read from it."""
    blobs.client.put_bucket_cors(
        Bucket=blobs.bucket,
        CORSConfiguration={
            "CORSRules": [
                {
                    "AllowedOrigins": list(origins),
                    "AllowedMethods": _CORS_METHODS,
                    "AllowedHeaders": ["*"],
                    "ExposeHeaders": ["ETag"],
                    "MaxAgeSeconds": 3000,
                }
            ]
        },
    )


def _check_free(host: str, port: int) -> None:
    if port == 0:
        return
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            message = f"cannot serve the local S3 on {host}:{port} ({exc.strerror})"
            raise OSError(exc.errno, f"{message}: choose another port with --s3-port") from exc


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
