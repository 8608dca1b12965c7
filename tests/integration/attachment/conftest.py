"""AttachmentService's rules on the in-memory table, with an emulated bucket where bytes matter.

- ``stores``: the in-memory table (rule tests); tests that need S3 use ``bucket_stores``
  (moto's table and bucket).
- :func:`add_memo`: a memo written through the memo writer, as MemoService stores one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from functions.memo.writing import MemoDraft, MemoWriter
from tests.integration.user.conftest import add_user, token_of

if TYPE_CHECKING:
    from memos.store import Stores
    from memos.store.blobs import BlobStore
    from memos.store.memos import Memo

__all__ = ["add_memo", "add_user", "token_of"]


def add_memo(stores: Stores, creator_id: int, uid: str, visibility: str = "PRIVATE") -> Memo:
    draft = MemoDraft(
        content=f"memo {uid}",
        visibility=visibility,
        created_ts=1_700_000_000,
        updated_ts=1_700_000_000,
    )
    return MemoWriter(stores).create(creator_id, uid, draft)


@pytest.fixture
def stores(memory_stores: Stores) -> Stores:
    return memory_stores


@pytest.fixture
def bucket_stores(moto_stores: Stores, attachment_bucket: BlobStore) -> Stores:
    """The table and the bucket on moto, for tests where the bytes in S3 matter."""
    return moto_stores
