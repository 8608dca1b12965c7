"""UserService over Connect (JSON and binary) and REST, with the store in moto.

- ``api``: a :class:`UserApi` around the app of one ``UserService``, whose test verifier maps
  ``token-<id>`` to the stored user ``<id>`` (an unknown or deleted user: no identity).
- ``resolver``: the fake DNS the webhook URL check uses; tests add hosts to it.
- :func:`add_user`: a user written straight to the store (no bcrypt, so tests stay fast).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from google.protobuf import json_format
from msgspec import Struct, field

from functions.user.service import UserService
from memos.auth.identity import Identity
from memos.config import Settings
from memos.domain.enums import Role
from memos.rpc.app import create_service_app
from memos.store.users import NewUser
from tests.asgi import Response
from tests.service_api import ServiceApi

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from google.protobuf.message import Message

    from memos.store import Stores
    from memos.store.users import User

SERVICE = "/memos.api.v1.UserService/"
PUBLIC_HOST = "hooks.example.com"
PUBLIC_ADDRESS = "93.184.216.34"


class TokensForUsers:
    """``token-<id>`` identifies the stored user ``<id>``; anything else identifies nobody."""

    def __init__(self, stores: Stores) -> None:
        self._stores = stores

    def verify(self, token: str) -> Identity | None:
        if not token.startswith("token-"):
            return None
        user = self._stores.users.get(int(token.removeprefix("token-")))
        if user is None:
            return None
        return Identity(user.id, user.username, user.role, "access_token")


class FakeResolver(Struct):
    """Hostname -> addresses; unknown hosts don't resolve."""

    hosts: dict[str, list[str]] = field(default_factory=lambda: {PUBLIC_HOST: [PUBLIC_ADDRESS]})

    def __call__(self, host: str) -> Sequence[str]:
        if host not in self.hosts:
            raise OSError(f"unknown host {host}")
        return self.hosts[host]


def token_of(user: User) -> str:
    return f"token-{user.id}"


def add_user(
    stores: Stores, username: str, *, role: str = Role.USER, display_name: str = "", **extra: Any
) -> User:
    return stores.users.create(
        NewUser(username=username, role=role, display_name=display_name, **extra)
    )


def set_general(stores: Stores, **flags: bool) -> None:
    """Store the instance GENERAL setting as InstanceService does (protobuf JSON, camelCase)."""
    value = {
        "".join(w.title() if i else w for i, w in enumerate(k.split("_"))): v
        for k, v in flags.items()
    }
    stores.instance_settings.upsert("GENERAL", value)


class UserApi(ServiceApi):
    service: str = "UserService"


def error_of(response: Response) -> tuple[int, str, str]:
    """(HTTP status, Connect code, message) of a Connect error reply."""
    body = response.json()
    return response.status, body["code"], body["message"]


def message_of(response: Response, message: Message) -> Any:
    return json_format.Parse(response.body, message)


@pytest.fixture
def stores(memory_stores: Stores) -> Stores:
    """UserService's rules run on the in-memory table.

    UserService still meets moto over boto3 in ``test_concurrent_sign_up.py``,
    ``test_every_method_wired.py`` and ``test_lambda_handlers.py``.
    """
    return memory_stores


@pytest.fixture
def resolver() -> FakeResolver:
    return FakeResolver()


@pytest.fixture
def service(stores: Stores, tmp_path: Path, resolver: FakeResolver) -> UserService:
    return UserService(
        stores, Settings(local_data_dir=str(tmp_path)), resolve_webhook_host=resolver
    )


@pytest.fixture
def api(stores: Stores, service: UserService) -> UserApi:
    app = create_service_app(service, verifier=TokensForUsers(stores), cors_origins=[])
    return UserApi(app)


class DynamoCall(Struct, frozen=True):
    """One DynamoDB call and how many items it read (keys asked for, or items a Query scanned)."""

    operation: str
    items: int


class RecordingClient:
    """Stands in for the table's client: passes every call through and records it."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.calls: list[DynamoCall] = []

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._inner, name)
        if not callable(method):
            return method

        def recorded(**params: Any) -> Any:
            response = method(**params)
            self.calls.append(DynamoCall(name, _items_read(name, params, response)))
            return response

        return recorded

    @property
    def items_read(self) -> int:
        return sum(call.items for call in self.calls)

    def operations(self) -> list[str]:
        return [call.operation for call in self.calls]


def record_calls(stores: Stores) -> RecordingClient:
    """From now on, record the DynamoDB calls made through ``stores``."""
    recorder = RecordingClient(stores.table.client)
    stores.table.client = recorder  # type: ignore[assignment]
    return recorder


def _items_read(operation: str, params: dict[str, Any], response: Any) -> int:
    if operation == "get_item":
        return 1
    if operation == "batch_get_item":
        return sum(len(request["Keys"]) for request in params["RequestItems"].values())
    if operation == "query":
        return int(response.get("ScannedCount", 0))
    return 0
