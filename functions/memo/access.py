"""Who may see and change a memo (spec memos.md §5). State never matters; ADMINs may change
any memo and list its attachments and reactions, but can't read another user's PRIVATE memo."""

from __future__ import annotations

from typing import TYPE_CHECKING

from memos.caller import PERMISSION_DENIED, USER_NOT_AUTHENTICATED, is_admin
from memos.domain.enums import Visibility
from memos.domain.visibility import can_read_memo
from memos.errors import PermissionDeniedError, UnauthenticatedError

if TYPE_CHECKING:
    from memos.store.memos import Memo
    from memos.store.users import User


def check_can_read(viewer: User | None, memo: Memo) -> None:
    """GetMemo's rule: PUBLIC for all, PROTECTED for signed-in users, PRIVATE for the creator."""
    if memo.visibility == Visibility.PUBLIC:
        return
    if viewer is None:
        raise UnauthenticatedError(USER_NOT_AUTHENTICATED)
    if memo.visibility == Visibility.PRIVATE and viewer.id != memo.creator_id:
        raise PermissionDeniedError(PERMISSION_DENIED)


def check_can_change(viewer: User | None, memo: Memo) -> User:
    """Update, delete, set attachments or relations: the creator or an ADMIN."""
    if viewer is None:
        raise UnauthenticatedError(USER_NOT_AUTHENTICATED)
    if viewer.id != memo.creator_id and not is_admin(viewer):
        raise PermissionDeniedError(PERMISSION_DENIED)
    return viewer


def check_can_inspect(viewer: User | None, memo: Memo) -> None:
    """ListMemoAttachments and ListMemoReactions: like reading, but ADMINs see PRIVATE too."""
    if memo.visibility == Visibility.PUBLIC:
        return
    if viewer is None:
        raise UnauthenticatedError(USER_NOT_AUTHENTICATED)
    if memo.visibility == Visibility.PRIVATE:
        check_can_change(viewer, memo)


def check_can_respond(viewer: User | None, memo: Memo) -> User:
    """Comment on or react to a memo: any signed-in user, PRIVATE only its creator or an ADMIN."""
    if viewer is None:
        raise UnauthenticatedError(USER_NOT_AUTHENTICATED)
    if memo.visibility == Visibility.PRIVATE:
        check_can_change(viewer, memo)
    return viewer


def in_view(viewer: User | None, memo: Memo) -> bool:
    """The list predicate: anonymous sees PUBLIC; signed-in users their own and PUBLIC/PROTECTED."""
    return can_read_memo(viewer, memo.creator_id, memo.visibility)
