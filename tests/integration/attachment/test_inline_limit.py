"""The inline upload limit: 4 MiB of raw bytes per CreateAttachment, over both transports, with
an error that names the limit and the direct upload; and what such a request weighs as the
API Gateway event a Lambda receives (6 MB invocation payload)."""

from __future__ import annotations

import base64
import copy
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from memos.api.v1 import attachment_service_pb2 as pb
from memos.domain.attachment_files import INLINE_UPLOAD_LIMIT_BYTES
from tests.integration.attachment.conftest import add_user, token_of

if TYPE_CHECKING:
    from memos.store import Stores
    from tests.asgi import Response
    from tests.integration.attachment.conftest import AttachmentApi

LAMBDA_REQUEST_PAYLOAD_LIMIT = 6_291_456  # 6 MB (MiB-based), the synchronous invocation limit
EVENTS = Path(__file__).resolve().parents[2] / "fixtures" / "events" / "attachment.json"


def _over_connect_binary(api: AttachmentApi, token: str, content: bytes) -> Response:
    request = pb.CreateAttachmentRequest(
        attachment=pb.Attachment(
            filename="big.bin", type="application/octet-stream", content=content
        )
    )
    return api.connect_binary("CreateAttachment", request, token)


def _over_rest(api: AttachmentApi, token: str, content: bytes) -> Response:
    body = {"filename": "big.bin", "content": base64.b64encode(content).decode()}
    return api.rest("POST", "/api/v1/attachments", body, token)


@pytest.mark.parametrize("send", [_over_connect_binary, _over_rest])
def test_an_upload_of_exactly_the_limit_is_accepted(
    api: AttachmentApi, stores: Stores, send: Any
) -> None:
    # Given a signed-in user
    token = token_of(add_user(stores, "alice"))

    # When they upload exactly 4 MiB
    response = send(api, token, b"\x00" * INLINE_UPLOAD_LIMIT_BYTES)

    # Then it passes the request body limit and the upload limit
    assert response.status == 200, response.body[:300]


def test_connect_binary_just_over_the_limit_names_it_and_the_direct_upload(
    api: AttachmentApi, stores: Stores
) -> None:
    # Given a signed-in user
    token = token_of(add_user(stores, "alice"))

    # When they upload one byte over 4 MiB over Connect (binary, as the web app does)
    response = _over_connect_binary(api, token, b"\x00" * (INLINE_UPLOAD_LIMIT_BYTES + 1))

    # Then the answer is INVALID_ARGUMENT naming the limit and the alternative
    reply = response.json()
    assert (response.status, reply["code"]) == (400, "invalid_argument")
    assert "file size exceeds the limit of 4 MiB" in reply["message"]
    assert "POST /api/v1/attachment-uploads" in reply["message"]


def test_rest_just_over_the_limit_names_it_and_the_direct_upload(
    api: AttachmentApi, stores: Stores
) -> None:
    token = token_of(add_user(stores, "alice"))

    response = _over_rest(api, token, b"\x00" * (INLINE_UPLOAD_LIMIT_BYTES + 1))

    reply = response.json()
    assert response.status == 400
    assert "file size exceeds the limit of 4 MiB" in reply["message"]
    assert "POST /api/v1/attachment-uploads" in reply["message"]


def test_a_lower_storage_limit_applies(api: AttachmentApi, stores: Stores) -> None:
    # Given an instance limited to 1 MiB per upload
    stores.instance_settings.upsert("STORAGE", {"storageType": "S3", "uploadSizeLimitMb": "1"})
    token = token_of(add_user(stores, "alice"))

    # When 1 MiB and one byte more are uploaded
    accepted = _over_rest(api, token, b"\x00" * (1024 * 1024))
    refused = _over_rest(api, token, b"\x00" * (1024 * 1024 + 1))

    # Then only the first fits
    assert accepted.status == 200
    assert refused.status == 400
    assert "file size exceeds the limit of 1 MiB" in refused.json()["message"]


def _event(kind: str, body: str, *, base64_encoded: bool, content_type: str) -> dict[str, Any]:
    """The recorded API Gateway event of this function, carrying ``body`` and a bearer token
    and authorizer context the size of real ones."""
    event: dict[str, Any] = copy.deepcopy(json.loads(EVENTS.read_text())[kind])
    event["body"] = body
    event["isBase64Encoded"] = base64_encoded
    event["headers"]["content-type"] = content_type
    event["headers"]["content-length"] = str(len(body))
    event["headers"]["authorization"] = "Bearer " + "x" * 900
    event["headers"]["cookie"] = "memos_refresh=" + "y" * 900
    event["requestContext"]["authorizer"] = {
        "lambda": {"userId": "1", "username": "alice", "role": "USER", "tokenType": "access"}
    }
    return event


def test_api_gateway_events_of_a_4_mib_upload_fit_the_lambda_payload() -> None:
    # Given 4 MiB of file bytes, sent as the web app sends them (Connect binary, which API
    # Gateway hands over base64-encoded) and as a REST client does (JSON text, bytes in base64)
    content = b"\xff" * INLINE_UPLOAD_LIMIT_BYTES
    binary = pb.CreateAttachmentRequest(
        attachment=pb.Attachment(filename="photo.jpg", type="image/jpeg", content=content)
    ).SerializeToString()
    rest_body = json.dumps(
        {
            "filename": "photo.jpg",
            "type": "image/jpeg",
            "content": base64.b64encode(content).decode(),
        }
    )

    # When each becomes the event the function is invoked with
    events = [
        _event(
            "connect_binary",
            base64.b64encode(binary).decode(),
            base64_encoded=True,
            content_type="application/proto",
        ),
        _event("rest", rest_body, base64_encoded=False, content_type="application/json"),
    ]

    # Then each stays under Lambda's 6 MB request payload, with room to spare
    for event in events:
        size = len(json.dumps(event).encode())
        assert size < LAMBDA_REQUEST_PAYLOAD_LIMIT - 500_000, size
