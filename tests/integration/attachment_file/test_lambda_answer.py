"""The file route behind the attachment function's Lambda handler stack (Mangum, the service
app) with API Gateway HTTP API events: the biggest file it serves itself fits Lambda's answer."""

from __future__ import annotations

import base64
import json
from typing import TYPE_CHECKING, Any, cast

import pytest
from mangum import Mangum

from functions.attachment.service import AttachmentService
from memos.auth.identity import NoTokensVerifier
from memos.config import Settings
from memos.domain.attachment_files import INLINE_UPLOAD_LIMIT_BYTES
from memos.rpc.app import create_service_app
from tests.integration.attachment_file.conftest import add_memo, add_user, upload

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from memos.store import Stores

LAMBDA_ANSWER_LIMIT = 6_291_456  # bytes of the JSON the function returns


def http_api_event(path: str, query: str = "") -> dict[str, Any]:
    """A browser's anonymous GET as API Gateway (HTTP API, payload 2.0) hands it over."""
    return {
        "version": "2.0",
        "routeKey": "GET /file/attachments/{proxy+}",
        "rawPath": path,
        "rawQueryString": query,
        "headers": {
            "accept": "*/*",
            "accept-encoding": "gzip, deflate, br",
            "host": "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com",
            "x-forwarded-proto": "https",
        },
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "a1b2c3d4e5",
            "domainName": "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com",
            "http": {
                "method": "GET",
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "203.0.113.9",
                "userAgent": "test",
            },
            "requestId": "test",
            "routeKey": "GET /file/attachments/{proxy+}",
            "stage": "$default",
            "timeEpoch": 1764331227666,
        },
        "isBase64Encoded": False,
    }


@pytest.fixture
def handler(stores: Stores, tmp_path: Path) -> Callable[[dict[str, Any]], dict[str, Any]]:
    settings = Settings(local_data_dir=str(tmp_path))
    app = create_service_app(
        AttachmentService(stores, settings), settings=settings, verifier=NoTokensVerifier()
    )
    mangum = Mangum(cast("Any", app), lifespan="off")

    def invoke(event: dict[str, Any]) -> dict[str, Any]:
        answer: dict[str, Any] = mangum(event, cast("Any", None))
        return answer

    return invoke


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
