"""Shortcut rules: who may touch a user's shortcuts, what a valid one is, how a mask applies.

Memos limits neither title nor filter; the bounds here keep an item far below DynamoDB's 400 KB
limit (a longer value would otherwise fail as an internal error) and are generous for a sidebar
title and a hand-written filter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from memos.caller import PERMISSION_DENIED
from memos.errors import InvalidArgumentError, NotFoundError, PermissionDeniedError
from memos.filters import validate_memo_filter
from memos.names import MAX_LOOKUP_UID_LENGTH
from memos.rpc.call import current_identity
from memos.store.shortcuts import SHORTCUT_NOT_FOUND, Shortcut, new_shortcut_id

if TYPE_CHECKING:
    from collections.abc import Sequence

    from memos.store.shortcuts import ShortcutStore

TITLE_REQUIRED: Final = "title is required"
UPDATE_MASK_REQUIRED: Final = "update mask is required"
TITLE_PATH: Final = "title"
FILTER_PATH: Final = "filter"
MAX_TITLE_LENGTH: Final = 256
MAX_FILTER_LENGTH: Final = 16 * 1024


def require_owner(user_id: int) -> None:
    """Only the user themselves may see or change their shortcuts (not even an admin).

    The verified identity is enough: the verifier already read the caller's user row.
    """
    identity = current_identity()
    if identity is None or identity.user_id != user_id:
        raise PermissionDeniedError(PERMISSION_DENIED)


def plan_shortcut(user_id: int, *, title: str, filter: str) -> Shortcut:
    """A checked new shortcut with a fresh id, not stored yet."""
    return Shortcut(user_id, new_shortcut_id(), _checked_title(title), _checked_filter(filter))


def get_shortcut(store: ShortcutStore, user_id: int, shortcut_id: str) -> Shortcut:
    shortcut = store.get(user_id, shortcut_id) if _plausible(shortcut_id) else None
    if shortcut is None:
        raise NotFoundError(SHORTCUT_NOT_FOUND)
    return shortcut


def update_shortcut(
    store: ShortcutStore,
    user_id: int,
    shortcut_id: str,
    *,
    title: str,
    filter: str,
    paths: Sequence[str],
) -> Shortcut:
    """Apply the mask paths in order (``title``, ``filter``; others are ignored). Any invalid
    value fails the whole update; an unknown shortcut is NotFound before values are checked."""
    if not paths:
        raise InvalidArgumentError(UPDATE_MASK_REQUIRED)
    get_shortcut(store, user_id, shortcut_id)
    new_title: str | None = None
    new_filter: str | None = None
    for path in paths:
        if path == TITLE_PATH:
            new_title = _checked_title(title)
        elif path == FILTER_PATH:
            new_filter = _checked_filter(filter)
    return store.update(user_id, shortcut_id, title=new_title, filter=new_filter)


def delete_shortcut(store: ShortcutStore, user_id: int, shortcut_id: str) -> None:
    if not _plausible(shortcut_id):
        raise NotFoundError(SHORTCUT_NOT_FOUND)
    store.delete(user_id, shortcut_id)


def _checked_title(title: str) -> str:
    """Not empty (Memos' rule: no trimming, duplicates allowed), and bounded."""
    if not title:
        raise InvalidArgumentError(TITLE_REQUIRED)
    if len(title) > MAX_TITLE_LENGTH:
        raise InvalidArgumentError(f"title is too long (max {MAX_TITLE_LENGTH} characters)")
    return title


def _checked_filter(filter: str) -> str:
    """Stored verbatim once it compiles as a memo filter."""
    if len(filter) > MAX_FILTER_LENGTH:
        raise InvalidArgumentError(
            f"invalid filter: filter is too long (max {MAX_FILTER_LENGTH} characters)"
        )
    validate_memo_filter(filter)
    return filter


def _plausible(shortcut_id: str) -> bool:
    """Ids are 36-character UUIDs; a far longer one names nothing and never reaches a key."""
    return len(shortcut_id) <= MAX_LOOKUP_UID_LENGTH
