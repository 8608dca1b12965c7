"""All eight services, as the local server and the end-to-end tests run them."""

from __future__ import annotations

from functions.activity.service import ActivityService
from functions.attachment.service import AttachmentService
from functions.auth.service import AuthService
from functions.idp.service import IdentityProviderService
from functions.instance.service import InstanceService
from functions.memo.service import MemoService
from functions.shortcut.service import ShortcutService
from functions.user.service import UserService


def all_services() -> tuple[object, ...]:
    return (
        AuthService(),
        UserService(),
        MemoService(),
        AttachmentService(),
        ShortcutService(),
        ActivityService(),
        InstanceService(),
        IdentityProviderService(),
    )
