"""ShortcutService over Connect (JSON and binary) and REST, with the store in moto.

- ``api``: a :class:`ShortcutApi` around the app of one ``ShortcutService``; ``token-<id>``
  identifies the stored user ``<id>`` (as in the user tests).
- ``service``: the service itself, for calls made without the app (and so without its gate),
  the way Memos' handler tests call it: :func:`call_directly`.
- :func:`create`: CreateShortcut over Connect JSON that must succeed.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import pytest

from functions.shortcut.service import ShortcutService
from memos.errors import MemosError
from memos.rpc.app import create_service_app
from tests.integration.user.conftest import TokensForUsers, token_of
from tests.service_api import ServiceApi

if TYPE_CHECKING:
    from collections.abc import Awaitable

    from memos.store import Stores
    from memos.store.users import User

SERVICE = "/memos.api.v1.ShortcutService/"
NO_CONTEXT: Any = None  # the service methods never read their request context


class ShortcutApi(ServiceApi):
    service: str = "ShortcutService"

    def shortcuts_of(self, user: User) -> list[Any]:
        """The user's shortcuts, listed by the user."""
        reply = self.ok("ListShortcuts", {"parent": f"users/{user.id}"}, token_of(user))
        shortcuts: list[Any] = reply.get("shortcuts", [])
        return shortcuts


def create(api: ShortcutApi, user: User, title: str, filter: str) -> Any:
    return api.ok(
        "CreateShortcut",
        {"parent": f"users/{user.id}", "shortcut": {"title": title, "filter": filter}},
        token_of(user),
    )


def call_directly(method: Awaitable[Any]) -> MemosError:
    """Run a service method outside any call (no caller at all); the error it raises."""
    with pytest.raises(MemosError) as raised:
        asyncio.run(_awaited(method))
    return raised.value


async def _awaited(method: Awaitable[Any]) -> Any:
    return await method


@pytest.fixture
def service(stores: Stores) -> ShortcutService:
    return ShortcutService(stores)


@pytest.fixture
def stores(memory_stores: Stores) -> Stores:
    """Rule tests run on the in-memory table; the store's own tests take ``moto_stores``."""
    return memory_stores


@pytest.fixture
def api(stores: Stores, service: ShortcutService) -> ShortcutApi:
    app = create_service_app(service, verifier=TokensForUsers(stores), cors_origins=[])
    return ShortcutApi(app)
