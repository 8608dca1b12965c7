"""The local server's S3 over HTTP: refuses a taken port clearly, and shares moto's state."""

from __future__ import annotations

import socket

import httpx
import pytest
from moto import mock_aws

from devserver.aws import s3_over_http
from memos.store.blobs import BlobStore
from memos.store.clients import s3_client


def test_a_taken_port_is_refused_with_a_message_naming_the_flag() -> None:
    # Given a port something else listens on
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        # When the local S3 is asked to serve there
        with (
            pytest.raises(OSError, match="choose another port with --s3-port"),
            s3_over_http("127.0.0.1", port),
        ):
            pass


def test_objects_written_in_process_are_readable_over_http(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.setenv(name, "testing")
    with mock_aws(), s3_over_http("127.0.0.1", 0) as endpoint:
        # Given an object written through the S3 endpoint the local server uses
        blobs = BlobStore(lambda: s3_client("us-east-1", endpoint), "local-s3-test")
        blobs.ensure_bucket()
        blobs.put("attachments/x", b"hello", "text/plain")

        # When a plain HTTP client follows a presigned URL of it
        url = blobs.presigned_get("attachments/x", 60)
        answer = httpx.get(url)

        # Then it reads the bytes from the local port
        assert url.startswith(endpoint)
        assert answer.status_code == 200
        assert answer.content == b"hello"
