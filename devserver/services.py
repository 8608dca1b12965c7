"""All eight services, as the local server and the end-to-end tests run them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from functions.activity.service import ActivityService
from functions.attachment.service import AttachmentService
from functions.auth.service import AuthService
from functions.idp.service import IdentityProviderService
from functions.instance.service import InstanceService
from functions.memo.service import MemoService
from functions.shortcut.service import ShortcutService
from functions.user.service import UserService

if TYPE_CHECKING:
    from memos.config import Settings
    from memos.store import Stores


def all_services(stores: Stores, settings: Settings | None = None) -> tuple[object, ...]:
    """Every service; those already backed by the store get ``stores`` (and ``settings``)."""
    return (
        AuthService(stores, settings),
        UserService(stores, settings),
        MemoService(stores, settings),
        AttachmentService(stores, settings),
        ShortcutService(stores),
        ActivityService(stores),
        InstanceService(stores, settings),
        IdentityProviderService(stores),
    )
