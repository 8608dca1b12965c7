"""Direct-to-S3 uploads over moto's table and bucket, through the app as a REST client calls it.

- ``stores``: moto's table and the created bucket.
- ``uploads``: an :class:`UploadsApi` around the attachment service's app (RPCs, file route and
  the upload routes), the direct upload limit set to :data:`LIMIT`;
  the test verifier maps ``token-<id>`` to the stored user ``<id>``.
- :func:`post_file`: the client's form upload to the presigned POST (moto answers it in process).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
import requests

from functions.attachment.service import AttachmentService
from memos.config import Settings
from memos.rpc.app import create_service_app
from memos.store.users import NewUser
from tests.integration.user.conftest import TokensForUsers, token_of
from tests.service_api import ServiceApi

if TYPE_CHECKING:
    from collections.abc import Mapping

    from memos.store import Stores
    from memos.store.blobs import BlobStore
    from memos.store.users import User
    from tests.asgi import Response

__all__ = ["UploadsApi", "add_user", "post_file", "token_of"]

LIMIT = 1024 * 1024  # the tests' direct upload limit: 1 MiB


class UploadsApi(ServiceApi):
    service: str = "AttachmentService"

    def start(self, user: User, body: object) -> Response:
        return self.rest("POST", "/api/v1/attachment-uploads", body, token_of(user))

    def started(self, user: User, filename: str, mime_type: str, size: int) -> dict[str, Any]:
        response = self.start(user, {"filename": filename, "type": mime_type, "size": size})
        assert response.status == 200, response.body
        answer: dict[str, Any] = response.json()
        return answer

    def finalize(self, user: User, upload_id: str, body: object | None = None) -> Response:
        path = f"/api/v1/attachment-uploads/{upload_id}/finalize"
        return self.rest("POST", path, body, token_of(user))


def add_user(stores: Stores, username: str) -> User:
    return stores.users.create(NewUser(username=username, role="USER"))


def post_file(
    started: Mapping[str, Any], data: bytes, *, content_type: str | None = None
) -> requests.Response:
    """Post ``data`` to the presigned form as a browser does (fields first, the file last).

    ``content_type`` replaces the pinned type field (real S3 would refuse the form; moto does
    not check the policy, which lets tests upload what a finalize must refuse).
    """
    fields = dict(started["fields"])
    if content_type is not None:
        fields["Content-Type"] = content_type
    return requests.post(
        started["url"], data=fields, files={"file": ("upload.bin", data)}, timeout=10
    )


@pytest.fixture
def stores(moto_stores: Stores, attachment_bucket: BlobStore) -> Stores:
    return moto_stores


@pytest.fixture
def uploads(stores: Stores) -> UploadsApi:
    settings = Settings(direct_upload_max_bytes=LIMIT)
    service = AttachmentService(stores, settings)
    app = create_service_app(service, settings=settings, verifier=TokensForUsers(stores))
    return UploadsApi(app)
