"""The file route behind the attachment function's Lambda handler stack (the HTTP API entry,
the service app) with API Gateway HTTP API events: the biggest file it serves itself fits
Lambda's answer."""

from __future__ import annotations

import base64
import json
from typing import TYPE_CHECKING, Any

import pytest

from bench.http_api_events import http_api_event as api_gateway_event
from functions.attachment.service import AttachmentService
from memos.auth.identity import NoTokensVerifier
from memos.config import Settings
from memos.domain.attachment_files import INLINE_UPLOAD_LIMIT_BYTES
from memos.rpc.app import create_service_app
from memos.rpc.http_api import HttpApiAdapter
from tests.integration.attachment_file.conftest import add_memo, add_user, upload

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from memos.store import Stores

LAMBDA_ANSWER_LIMIT = 6_291_456  # bytes of the JSON the function returns


def http_api_event(path: str) -> dict[str, Any]:
    """A browser's anonymous GET as API Gateway (HTTP API, payload 2.0) hands it over."""
    return api_gateway_event(
        "GET",
        path,
        headers={"accept": "*/*", "accept-encoding": "gzip, deflate, br"},
        route_key="GET /file/attachments/{proxy+}",
        user_agent="test",
    )


@pytest.fixture
def handler(stores: Stores, tmp_path: Path) -> Callable[[dict[str, Any]], dict[str, Any]]:
    settings = Settings(local_data_dir=str(tmp_path))
    app = create_service_app(
        AttachmentService(stores, settings), settings=settings, verifier=NoTokensVerifier()
    )
    adapter = HttpApiAdapter(app)
    return lambda event: adapter(event, None)


def test_a_file_at_the_inline_limit_fits_one_lambda_answer(
    stores: Stores, handler: Callable[[dict[str, Any]], dict[str, Any]]
) -> None:
    # Given a public binary file of exactly the inline limit
    writer = add_user(stores, "writer")
    memo = add_memo(stores, writer, "memo-1", "PUBLIC")
    data = bytes(range(256)) * (INLINE_UPLOAD_LIMIT_BYTES // 256)
    attachment = upload(stores, writer, "blob.bin", "application/octet-stream", data, memo=memo)

    # When the function is invoked for it
    answer = handler(http_api_event(f"/file/attachments/{attachment.uid}/blob.bin"))

    # Then the answer carries it whole, as base64, within Lambda's answer limit
    assert answer["statusCode"] == 200
    assert answer["isBase64Encoded"] is True
    assert base64.b64decode(answer["body"]) == data
    assert len(json.dumps(answer)) < LAMBDA_ANSWER_LIMIT


def test_a_video_answer_is_a_redirect_with_its_location(
    stores: Stores, handler: Callable[[dict[str, Any]], dict[str, Any]]
) -> None:
    # Given a public video
    writer = add_user(stores, "writer")
    memo = add_memo(stores, writer, "memo-1", "PUBLIC")
    attachment = upload(stores, writer, "clip.mp4", "video/mp4", b"\x00video", memo=memo)

    # When the function is invoked for it
    answer = handler(http_api_event(f"/file/attachments/{attachment.uid}/clip.mp4"))

    # Then API Gateway is told to redirect to the object
    assert answer["statusCode"] == 307
    assert attachment.storage_key in answer["headers"]["location"]
    assert answer["headers"]["x-content-type-options"] == "nosniff"
