"""The web app's attachment flow over real HTTP against the local server and its emulated S3.

As the unmodified web app does it: CreateAttachment over Connect binary with the file's bytes,
a memo created naming it, its thumbnail and original read through ``/file/attachments/...``,
and the memo's delete taking the file with it.
"""

from __future__ import annotations

import io

import httpx
from PIL import Image

from memos.api.v1 import attachment_service_pb2 as pb
from tests.e2e.accounts import signed_in


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def test_an_image_attached_from_the_web_app_shows_its_thumbnail_and_original(
    client: httpx.Client,
) -> None:
    # Given a signed-in user and a 1200x800 PNG
    auth = signed_in(client, "painter")
    image = _png(1200, 800)

    # When the web app uploads it (Connect binary) and creates a memo naming it
    request = pb.CreateAttachmentRequest(
        attachment=pb.Attachment(filename="picture.png", type="image/png", content=image)
    )
    uploaded = client.post(
        "/memos.api.v1.AttachmentService/CreateAttachment",
        content=request.SerializeToString(),
        headers={**auth, "content-type": "application/proto", "connect-protocol-version": "1"},
    )
    assert uploaded.status_code == 200, uploaded.text
    attachment = pb.Attachment.FromString(uploaded.content)
    memo = client.post(
        "/memos.api.v1.MemoService/CreateMemo",
        json={"memo": {"content": "look", "attachments": [{"name": attachment.name}]}},
        headers=auth,
    )
    assert memo.status_code == 200, memo.text
    uid = attachment.name.removeprefix("attachments/")

    # Then the original and a thumbnail come back through the file route
    original = client.get(f"/file/attachments/{uid}/picture.png", headers=auth)
    thumbnail = client.get(f"/file/attachments/{uid}/picture.png?thumbnail=true", headers=auth)
    assert original.status_code == 200
    assert original.content == image
    assert thumbnail.status_code == 200
    with Image.open(io.BytesIO(thumbnail.content)) as small:
        assert max(small.size) == 600

    # When the memo is deleted
    deleted = client.post(
        "/memos.api.v1.MemoService/DeleteMemo", json={"name": memo.json()["name"]}, headers=auth
    )

    # Then the attachment and its file are gone
    assert deleted.status_code == 200, deleted.text
    gone = client.get(f"/file/attachments/{uid}/picture.png", headers=auth)
    assert gone.status_code == 404
