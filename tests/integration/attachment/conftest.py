"""AttachmentService's rules on the in-memory table and an in-memory bucket.

- ``stores``: the in-memory table with :class:`MemoryBlobs` as its bucket (rule tests);
  ``bucket_stores``: moto's table and bucket, for the wire tests where S3 itself matters.
- ``api``: an :class:`AttachmentApi` around one app serving the attachment, memo and instance
  services; the test verifier maps ``token-<id>`` to the stored user ``<id>``.
- :func:`add_memo`: a memo written through the memo writer, as MemoService stores one.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

import pytest

from functions.attachment.service import AttachmentService
from functions.instance.service import InstanceService
from functions.memo.service import MemoService
from functions.memo.writing import MemoDraft, MemoWriter
from memos.config import Settings
from memos.rpc.app import create_service_app
from memos.store.blobs import BlobStore
from memos.store.clock import epoch_seconds
from tests.integration.user.conftest import TokensForUsers, add_user, token_of
from tests.service_api import ServiceApi

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from pathlib import Path

    from memos.store import Stores
    from memos.store.blobs import Blob
    from memos.store.clock import Clock
    from memos.store.memos import Memo

__all__ = ["AttachmentApi", "MemoryBlobs", "add_memo", "add_user", "token_of"]


class BlobFailureError(RuntimeError):
    """What :class:`MemoryBlobs` raises when told to fail."""


class MemoryBlobs(BlobStore):
    """A bucket in a dict, with switches that make S3 calls fail."""

    def __init__(self) -> None:
        super().__init__(lambda: None, "memory")
        self.objects: dict[str, tuple[bytes, str]] = {}
        self.fail_puts = False
        self.fail_deletes = False
        self.deleted: list[str] = []

    def put(
        self, key: str, data: bytes, content_type: str, *, metadata: Mapping[str, str] | None = None
    ) -> str:
        if self.fail_puts:
            raise BlobFailureError("put refused")
        self.objects[key] = (bytes(data), content_type)
        return '"etag"'

    def get(self, key: str) -> Blob | None:
        raise NotImplementedError

    def delete(self, key: str) -> None:
        if self.fail_deletes:
            raise BlobFailureError("delete refused")
        self.deleted.append(key)
        self.objects.pop(key, None)

    def delete_many(self, keys: Iterable[str]) -> list[str]:
        if self.fail_deletes:
            raise BlobFailureError("delete refused")
        for key in keys:
            self.delete(key)
        return []


def add_memo(stores: Stores, creator_id: int, uid: str, visibility: str = "PRIVATE") -> Memo:
    draft = MemoDraft(
        content=f"memo {uid}",
        visibility=visibility,
        created_ts=1_700_000_000,
        updated_ts=1_700_000_000,
    )
    return MemoWriter(stores).create(creator_id, uid, draft)


class AttachmentApi(ServiceApi):
    service: str = "AttachmentService"

    def error(self, method: str, body: object, token: str | None = None) -> tuple[int, str, str]:
        """(HTTP status, Connect code, message) of a Connect call that must fail."""
        response = self.connect(method, body, token)
        assert response.status != 200, response.body
        reply = response.json()
        return response.status, reply["code"], reply["message"]

    def create(
        self, token: str, filename: str = "notes.txt", content: bytes = b"hello", **fields: Any
    ) -> Any:
        attachment_id = fields.pop("attachment_id", None)
        body: dict[str, Any] = {
            "attachment": {
                "filename": filename,
                "content": base64.b64encode(content).decode(),
                **fields,
            }
        }
        if attachment_id:
            body["attachmentId"] = attachment_id
        return self.ok("CreateAttachment", body, token)


@pytest.fixture
def stores(memory_stores: Stores) -> Stores:
    return memory_stores.with_blobs(MemoryBlobs())


@pytest.fixture
def blobs(stores: Stores) -> MemoryBlobs:
    assert isinstance(stores.blobs, MemoryBlobs)
    return stores.blobs


@pytest.fixture
def bucket_stores(moto_stores: Stores, attachment_bucket: BlobStore) -> Stores:
    """The table and the bucket on moto, for tests where the bytes in S3 matter."""
    return moto_stores


def ticking_clock(start: int = 1_700_000_000) -> Clock:
    """A clock whose every reading is one second after the last, so update times order writes."""
    now = [start]

    def tick() -> int:
        now[0] += 1
        return now[0]

    return tick


def build_api(stores: Stores, tmp_path: Path, clock: Clock = epoch_seconds) -> AttachmentApi:
    settings = Settings(local_data_dir=str(tmp_path))
    app = create_service_app(
        AttachmentService(stores, settings, clock),
        MemoService(stores, settings),
        InstanceService(stores, settings),
        verifier=TokensForUsers(stores),
        cors_origins=[],
    )
    return AttachmentApi(app)


@pytest.fixture
def api(stores: Stores, tmp_path: Path) -> AttachmentApi:
    return build_api(stores, tmp_path)
