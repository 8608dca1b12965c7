"""The attachment file route over moto's table and bucket, with real credentials.

- ``stores``: moto's table and the created bucket.
- ``route``: the route's ASGI app, whose callers are resolved by the real verifier and the real
  refresh-cookie check, with :data:`SECRET` as the signing secret.
- :func:`access_token`, :func:`refresh_cookie`, :func:`personal_access_token`: credentials of a
  stored user, as a browser or a script would hold them.
- :func:`upload`: an attachment whose bytes are in S3, optionally linked to a memo;
  :func:`public_upload`: one on a PUBLIC memo, which anyone may fetch.
- ``thumbnails_made``: the formats Pillow was asked to make a thumbnail in during the test.
- :func:`fetch`: one request to ``/file/attachments/{uid}/{filename}``.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pytest

from functions.attachment import thumbnails
from functions.attachment.file_caller import FileCaller
from functions.attachment.file_route import AttachmentFileRoute
from functions.attachment.records import new_attachment_uid, record_new_attachment
from functions.memo.writing import MemoDraft, MemoWriter
from memos.auth.personal_access_tokens import (
    generate_personal_access_token,
    hash_personal_access_token,
)
from memos.auth.tokens import mint_access_token, mint_refresh_token
from memos.store.blobs import attachment_object_key
from memos.store.sessions import RefreshSession
from memos.store.users import NewUser
from tests.asgi import call

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from memos.rpc.asgi import ASGIApp
    from memos.store import Stores
    from memos.store.attachments import Attachment
    from memos.store.blobs import BlobStore
    from memos.store.memos import Memo
    from memos.store.users import User
    from tests.asgi import Response

SECRET = b"attachment-file-route-test-secret-0123456789"


@pytest.fixture
def stores(moto_stores: Stores, attachment_bucket: BlobStore) -> Stores:
    return moto_stores


@pytest.fixture
def route(stores: Stores) -> ASGIApp:
    return AttachmentFileRoute(stores, FileCaller(stores, lambda: (SECRET,)))


def add_user(stores: Stores, username: str, role: str = "USER") -> User:
    return stores.users.create(NewUser(username=username, role=role))


def add_memo(stores: Stores, creator: User, uid: str, visibility: str) -> Memo:
    now = int(time.time())
    draft = MemoDraft(content=f"memo {uid}", visibility=visibility, created_ts=now, updated_ts=now)
    return MemoWriter(stores).create(creator.id, uid, draft)


def upload(
    stores: Stores,
    creator: User,
    filename: str = "notes.txt",
    mime_type: str = "text/plain",
    data: bytes = b"hello",
    *,
    memo: Memo | None = None,
) -> Attachment:
    """An attachment of ``creator`` with ``data`` in the bucket, linked to ``memo`` if given."""
    uid = new_attachment_uid()
    key = attachment_object_key(uid)
    stores.blobs.put(key, data, mime_type)
    return record_new_attachment(
        stores,
        creator_id=creator.id,
        filename=filename,
        mime_type=mime_type,
        size=len(data),
        storage_key=key,
        memo_uid=memo.uid if memo is not None else None,
        uid=uid,
    )


def access_token(user: User) -> str:
    token, _ = mint_access_token(
        user_id=user.id, username=user.username, role=user.role, status=user.state, secret=SECRET
    )
    return token


def personal_access_token(stores: Stores, user: User) -> str:
    token = generate_personal_access_token()
    stores.access_tokens.create(
        user.id, token_id="pat-1", token_hash=hash_personal_access_token(token)
    )
    return token


def refresh_cookie(stores: Stores, user: User) -> str:
    """The ``Cookie`` header of a browser signed in as ``user``."""
    now = int(time.time())
    session_id = f"session-{user.id}"
    token, expires_at = mint_refresh_token(
        user_id=user.id, token_id="token-1", session_id=session_id, secret=SECRET
    )
    stores.sessions.create(
        RefreshSession(
            user_id=user.id,
            session_id=session_id,
            current_token_id="token-1",
            created_at=now,
            rotated_at=now,
            expires_at=int(expires_at.timestamp()),
        )
    )
    return f"memos_refresh={token}"


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def fetch(
    app: ASGIApp,
    attachment: Attachment,
    *,
    headers: Mapping[str, str] | None = None,
    query: str = "",
    method: str = "GET",
    filename: str | None = None,
) -> Response:
    name = attachment.filename if filename is None else filename
    path = f"/file/attachments/{attachment.uid}/{name}"
    return call(app, method, path, headers=headers, query=query)


def public_upload(stores: Stores, filename: str, mime_type: str, data: bytes) -> Attachment:
    """An attachment of a PUBLIC memo: anyone may fetch it."""
    writer = add_user(stores, "writer")
    memo = add_memo(stores, writer, "memo-1", "PUBLIC")
    return upload(stores, writer, filename, mime_type, data, memo=memo)


@pytest.fixture
def thumbnails_made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The formats Pillow was asked to make a thumbnail in during the test."""
    calls: list[str] = []
    real: Callable[[bytes, str], bytes | None] = thumbnails.make_thumbnail

    def counting(original: bytes, image_format: str) -> bytes | None:
        calls.append(image_format)
        return real(original, image_format)

    monkeypatch.setattr(thumbnails, "make_thumbnail", counting)
    return calls
