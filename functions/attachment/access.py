"""Who may see an attachment (spec attachments.md §7), for its metadata and its bytes alike.

An unlinked attachment belongs to its uploader (and ADMINs). A linked one follows its memo:
PUBLIC for anyone, PROTECTED for any signed-in user, PRIVATE for the memo's creator and ADMINs
(the uploader included only when they also wrote the memo). The memo's state does not matter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from memos.caller import PERMISSION_DENIED, USER_NOT_AUTHENTICATED, is_admin
from memos.domain.enums import Visibility
from memos.errors import (
    MEMO_NOT_FOUND,
    NotFoundError,
    PermissionDeniedError,
    UnauthenticatedError,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from memos.store import Stores
    from memos.store.attachments import Attachment
    from memos.store.users import User


def check_read_access(
    stores: Stores, attachment: Attachment, caller: Callable[[], User | None]
) -> bool:
    """Raise unless the caller (``caller()``; None: anonymous) may read ``attachment``; True
    when anyone may (it belongs to a PUBLIC memo), False when only some signed-in users may.

    The caller is looked up only when the answer depends on it: a PUBLIC memo's files cost no
    token or cookie check.
    """
    if not attachment.memo_uid:
        _require_owner_or_admin(attachment.creator_id, caller())
        return False
    memo = stores.memos.get(attachment.memo_uid)
    if memo is None:
        raise NotFoundError(MEMO_NOT_FOUND)
    if memo.visibility == Visibility.PUBLIC:
        return True
    user = caller()
    if user is None:
        raise UnauthenticatedError(USER_NOT_AUTHENTICATED)
    if memo.visibility == Visibility.PRIVATE:
        _require_owner_or_admin(memo.creator_id, user)
    return False


def _require_owner_or_admin(owner_id: int, caller: User | None) -> None:
    if caller is None:
        raise UnauthenticatedError(USER_NOT_AUTHENTICATED)
    if caller.id != owner_id and not is_admin(caller):
        raise PermissionDeniedError(PERMISSION_DENIED)
