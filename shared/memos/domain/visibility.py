"""Who may read whose memos: the visibility rule every memo reader shares.

Anonymous viewers read PUBLIC memos; a signed-in viewer reads PUBLIC and PROTECTED memos of
others and every memo of their own. ADMINs read no more than anyone else (Memos' rule): another
user's PRIVATE memo stays hidden from them. Stats, memo lists and single memo reads all follow
this rule, so they always agree on what a viewer can see.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from memos.domain.enums import VISIBILITIES, Visibility

if TYPE_CHECKING:
    from memos.store.users import User

_ANONYMOUS: Final = (Visibility.PUBLIC,)
_SIGNED_IN: Final = (Visibility.PUBLIC, Visibility.PROTECTED)


def viewer_visibilities(viewer_id: int | None) -> tuple[Visibility, ...]:
    """The visibilities of *other* users' memos that ``viewer_id`` (None: anonymous) reads."""
    return _ANONYMOUS if viewer_id is None else _SIGNED_IN


def visible_to(viewer_id: int | None, creator_id: int) -> tuple[Visibility, ...]:
    """The visibilities of ``creator_id``'s memos that ``viewer_id`` (None: anonymous) reads,
    most public first."""
    if viewer_id is not None and viewer_id == creator_id:
        return VISIBILITIES
    return viewer_visibilities(viewer_id)


def can_read_memo(viewer: User | None, creator_id: int, visibility: str) -> bool:
    """Whether ``viewer`` (None: anonymous) may read ``creator_id``'s memo of ``visibility``."""
    viewer_id = viewer.id if viewer is not None else None
    return visibility in visible_to(viewer_id, creator_id)
