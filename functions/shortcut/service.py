"""ShortcutService: a user's saved memo filters.

Each method parses the name, checks the caller is the owner, makes one call into
``functions.shortcut.shortcuts`` and converts the result.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from google.protobuf import empty_pb2

from functions.shortcut import shortcuts
from memos import names
from memos.api.v1 import shortcut_service_connect
from memos.api.v1 import shortcut_service_pb2 as pb

if TYPE_CHECKING:
    from connectrpc.request import RequestContext

    from memos.store import Stores
    from memos.store.shortcuts import Shortcut

    Context = RequestContext[Any, Any]


class ShortcutService(shortcut_service_connect.ShortcutService):
    """Serves memos.api.v1.ShortcutService."""

    def __init__(self, stores: Stores) -> None:
        self._shortcuts = stores.shortcuts

    async def list_shortcuts(
        self, request: pb.ListShortcutsRequest, ctx: Context
    ) -> pb.ListShortcutsResponse:
        user_id = names.parse_user_id(request.parent)
        shortcuts.require_owner(user_id)
        found = self._shortcuts.list_for_user(user_id)
        return pb.ListShortcutsResponse(shortcuts=[_to_proto(shortcut) for shortcut in found])

    async def get_shortcut(self, request: pb.GetShortcutRequest, ctx: Context) -> pb.Shortcut:
        user_id, shortcut_id = names.parse_shortcut_name(request.name)
        shortcuts.require_owner(user_id)
        return _to_proto(shortcuts.get_shortcut(self._shortcuts, user_id, shortcut_id))

    async def create_shortcut(self, request: pb.CreateShortcutRequest, ctx: Context) -> pb.Shortcut:
        user_id = names.parse_user_id(request.parent)
        shortcuts.require_owner(user_id)
        planned = shortcuts.plan_shortcut(
            user_id, title=request.shortcut.title, filter=request.shortcut.filter
        )
        if request.validate_only:
            return _to_proto(planned)
        return _to_proto(self._shortcuts.create(planned))

    async def update_shortcut(self, request: pb.UpdateShortcutRequest, ctx: Context) -> pb.Shortcut:
        user_id, shortcut_id = names.parse_shortcut_name(request.shortcut.name)
        shortcuts.require_owner(user_id)
        updated = shortcuts.update_shortcut(
            self._shortcuts,
            user_id,
            shortcut_id,
            title=request.shortcut.title,
            filter=request.shortcut.filter,
            paths=list(request.update_mask.paths),
        )
        return _to_proto(updated)

    async def delete_shortcut(
        self, request: pb.DeleteShortcutRequest, ctx: Context
    ) -> empty_pb2.Empty:
        user_id, shortcut_id = names.parse_shortcut_name(request.name)
        shortcuts.require_owner(user_id)
        shortcuts.delete_shortcut(self._shortcuts, user_id, shortcut_id)
        return empty_pb2.Empty()


def _to_proto(shortcut: Shortcut) -> pb.Shortcut:
    return pb.Shortcut(
        name=names.shortcut_name(shortcut.user_id, shortcut.shortcut_id),
        title=shortcut.title,
        filter=shortcut.filter,
    )
