"""The local server's S3 over HTTP: refuses a taken port clearly, and shares moto's state."""

from __future__ import annotations

import os
import socket

import httpx
import pytest
from moto import mock_aws

from devserver.aws import local_aws, s3_over_http
from memos.config import Settings
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


def test_the_local_s3_endpoint_leaves_the_environment_with_the_block(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given no S3 endpoint configured
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.setenv(name, "testing")
    for name in ("MEMOS_S3_ENDPOINT", "MEMOS_DYNAMODB_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings.from_environ()

    # When the local AWS runs and stops
    with local_aws(settings, s3_port=0) as backend:
        inside = os.environ.get("MEMOS_S3_ENDPOINT")

    # Then code running later does not find the dead endpoint
    assert inside == backend.settings.s3_endpoint
    assert "MEMOS_S3_ENDPOINT" not in os.environ
