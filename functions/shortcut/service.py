"""ShortcutService: a user's saved memo filters."""

from __future__ import annotations

from memos.api.v1 import shortcut_service_connect


class ShortcutService(shortcut_service_connect.ShortcutService):
    """Serves memos.api.v1.ShortcutService.

    Methods not defined here answer UNIMPLEMENTED, naming the method, until the shortcuts work
    fills them in.
    """
