"""IdentityProviderService over Connect (JSON and binary) and REST, rules on the in-memory table.

- ``api``: an :class:`IdpApi` around the app of one ``IdentityProviderService``;
  ``token-<id>`` identifies the stored user ``<id>`` (as in the user tests).
- ``service``: the service itself, for calls made without the app (and so without its gate),
  the way Memos' handler tests call it: :func:`call_directly`, :func:`run_directly`.
- ``admin`` / ``member``: a stored ADMIN and a stored USER.
- :func:`oauth2_provider`: the JSON of an OAUTH2 provider like Memos' tests create;
  :func:`create`: CreateIdentityProvider over Connect JSON that must succeed.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import pytest

from functions.idp.service import IdentityProviderService
from memos.domain.enums import Role
from memos.errors import MemosError
from memos.rpc.app import create_service_app
from tests.integration.user.conftest import TokensForUsers, add_user, token_of
from tests.service_api import ServiceApi

if TYPE_CHECKING:
    from collections.abc import Awaitable

    from memos.store import Stores
    from memos.store.users import User

NO_CONTEXT: Any = None  # the service methods never read their request context
SECRET = "test-secret"


class IdpApi(ServiceApi):
    service: str = "IdentityProviderService"

    def providers(self, token: str | None = None) -> list[Any]:
        reply = self.ok("ListIdentityProviders", {}, token)
        providers: list[Any] = reply.get("identityProviders", [])
        return providers


def oauth2_provider(title: str = "Test OAuth2 Provider", **config: Any) -> dict[str, Any]:
    """An OAUTH2 provider as the web app sends it (Connect JSON); ``config`` overrides values."""
    oauth2 = {
        "clientId": "test-client-id",
        "clientSecret": SECRET,
        "authUrl": "https://example.com/oauth/authorize",
        "tokenUrl": "https://example.com/oauth/token",
        "userInfoUrl": "https://example.com/oauth/userinfo",
        "scopes": ["openid", "profile", "email"],
        "fieldMapping": {
            "identifier": "id",
            "displayName": "name",
            "email": "email",
            "avatarUrl": "avatar_url",
        },
        **config,
    }
    return {"type": "OAUTH2", "title": title, "config": {"oauth2Config": oauth2}}


def create(api: IdpApi, admin: User, provider: dict[str, Any] | None = None) -> Any:
    body = {"identityProvider": provider or oauth2_provider()}
    return api.ok("CreateIdentityProvider", body, token_of(admin))


def secret_of(provider: dict[str, Any]) -> str:
    """The client secret of a provider in Connect JSON ("" when left out as empty)."""
    secret: str = provider["config"]["oauth2Config"].get("clientSecret", "")
    return secret


def call_directly(method: Awaitable[Any]) -> MemosError:
    """Run a service method outside any call (no caller at all); the error it raises."""
    with pytest.raises(MemosError) as raised:
        run_directly(method)
    return raised.value


def run_directly(method: Awaitable[Any]) -> Any:
    """Run a service method outside any call (no caller at all); its reply."""
    return asyncio.run(_awaited(method))


async def _awaited(method: Awaitable[Any]) -> Any:
    return await method


@pytest.fixture
def stores(memory_stores: Stores) -> Stores:
    """Rule tests run on the in-memory table; the store's own tests take ``moto_stores``."""
    return memory_stores


@pytest.fixture
def service(stores: Stores) -> IdentityProviderService:
    return IdentityProviderService(stores)


@pytest.fixture
def api(stores: Stores, service: IdentityProviderService) -> IdpApi:
    app = create_service_app(service, verifier=TokensForUsers(stores), cors_origins=[])
    return IdpApi(app)


@pytest.fixture
def admin(stores: Stores) -> User:
    return add_user(stores, "admin", role=Role.ADMIN)


@pytest.fixture
def member(stores: Stores) -> User:
    return add_user(stores, "member", role=Role.USER)
