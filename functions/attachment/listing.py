"""ListAttachments: the caller's own attachments, newest update first, filtered and paged.

Page tokens are this service's signed tokens (bound to the filter, see docs/decisions.md "page
tokens carry a query fingerprint"), holding the position of the last attachment shown. A plain
decimal offset, the token Memos itself hands out (``"50"``), is still accepted, so a client that
builds its own offsets keeps working; it costs reading the skipped attachments.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Final

from msgspec import Struct

from memos.errors import InvalidArgumentError
from memos.filters import compile_attachment_filter, evaluate
from memos.filters.fold import TRUE
from memos.store.paging import INVALID_PAGE_TOKEN

if TYPE_CHECKING:
    from memos.filters.ir import Node
    from memos.store import Stores
    from memos.store.attachments import Attachment
    from memos.store.paging import PageTokens

DEFAULT_PAGE_SIZE: Final = 50
MAX_PAGE_SIZE: Final = 1000
_READ_BATCH: Final = 100  # attachments read per query while a filter drops some
_OFFSET_TOKEN: Final = re.compile(r"\s*([+-]?\d+)")  # Memos reads its tokens with "%d"
_QUERY: Final = "ListAttachments"

Position = tuple[int, int, str]  # (updated_ts, id, uid) of the last attachment shown


class AttachmentPage(Struct, frozen=True):
    attachments: list[Attachment]
    next_page_token: str


def page_size_of(requested: int) -> int:
    if requested <= 0:
        return DEFAULT_PAGE_SIZE
    return min(requested, MAX_PAGE_SIZE)


def list_own_attachments(
    stores: Stores,
    tokens: PageTokens,
    *,
    creator_id: int,
    page_size: int,
    page_token: str,
    filter_text: str,
    now: int,
) -> AttachmentPage:
    """One page of ``creator_id``'s attachments matching ``filter_text``."""
    size = page_size_of(page_size)
    node = compile_attachment_filter(filter_text, now=now)
    query = f"{_QUERY}|{filter_text}"
    after, skip = _resume(tokens, page_token, query)
    matcher = _Matcher(stores, node, needs_memo_ids="memo_id" in filter_text)
    shown: list[Attachment] = []
    more = True
    while more and len(shown) < size:
        batch, more = stores.attachments.page_by_creator(
            creator_id, after=after, limit=_READ_BATCH if node is not TRUE or skip else size + 1
        )
        if not batch:
            break
        for attachment in matcher.matching(batch):
            if skip:
                skip -= 1
                continue
            shown.append(attachment)
            if len(shown) == size:
                break
        last = shown[-1] if len(shown) == size else batch[-1]
        after = (last.updated_ts, last.id, last.uid)
        if len(shown) == size and last is not batch[-1]:
            more = True  # the batch held attachments after the last one shown
    next_token = ""
    if len(shown) == size and more:
        last = shown[-1]
        next_token = tokens.issue([last.updated_ts, last.id, last.uid], query=query)
    return AttachmentPage(shown, next_token)


class _Matcher:
    """Applies the filter to a batch, finding linked memos' ids only when the filter asks."""

    def __init__(self, stores: Stores, node: Node, *, needs_memo_ids: bool) -> None:
        self._stores = stores
        self._node = node
        self._needs_memo_ids = needs_memo_ids

    def matching(self, batch: list[Attachment]) -> list[Attachment]:
        if self._node is TRUE:
            return batch
        memo_ids: dict[str, int] = {}
        if self._needs_memo_ids:
            linked = [attachment.memo_uid for attachment in batch if attachment.memo_uid]
            memo_ids = {uid: memo.id for uid, memo in self._stores.memos.get_many(linked).items()}
        return [
            attachment
            for attachment in batch
            if evaluate(self._node, _filter_record(attachment, memo_ids))
        ]


def _filter_record(attachment: Attachment, memo_ids: dict[str, int]) -> dict[str, Any]:
    return {
        "filename": attachment.filename,
        "mime_type": attachment.type,
        "create_time": attachment.created_ts,
        "memo_id": memo_ids.get(attachment.memo_uid) if attachment.memo_uid else None,
    }


def _resume(tokens: PageTokens, page_token: str, query: str) -> tuple[Position | None, int]:
    """Where the page starts: after a position (our tokens) or after N matches (Memos')."""
    if not page_token:
        return None, 0
    if "." not in page_token:
        offset = _OFFSET_TOKEN.match(page_token)
        if offset is None:
            raise InvalidArgumentError(INVALID_PAGE_TOKEN)
        return None, max(int(offset.group(1)), 0)
    cursor = tokens.resume(page_token, query=query).cursor
    if (
        not isinstance(cursor, list)
        or len(cursor) != 3  # (updated_ts, id, uid)
        or not all(isinstance(part, int) and not isinstance(part, bool) for part in cursor[:2])
        or not isinstance(cursor[2], str)
    ):
        raise InvalidArgumentError(INVALID_PAGE_TOKEN)
    return (cursor[0], cursor[1], cursor[2]), 0
