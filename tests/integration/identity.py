"""Helpers for tests of sign-in and token checks over the real app, with AWS emulated by moto.

- :func:`emulated_stores`: moto, fake credentials and a fresh table for a whole test module
  (the ``stores`` fixture of ``conftest.py`` does the same per test).
- :func:`local_settings`: settings whose signing secret lives in a temporary directory.
- :func:`add_user`: a stored user with a bcrypt password.
- :func:`connect_call` / :func:`rest_call`: one call over either transport, as a client makes it.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import pytest
from moto import mock_aws

from memos.auth.passwords import hash_password
from memos.auth.signing_secret import signing_secrets
from memos.auth.verifier import StoreTokenVerifier
from memos.config import Settings, get_settings
from memos.store import stores_from_environment, stores_from_settings
from memos.store.clients import dynamodb_client, dynamodb_client_for, ensure_table
from memos.store.users import NewUser, UserChanges
from tests.asgi import Response, call

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping
    from pathlib import Path

    from google.protobuf.message import Message

    from memos.rpc.asgi import ASGIApp
    from memos.store import Stores
    from memos.store.users import User

REGION = "us-east-1"
TABLE = "memos-identity-test"
PASSWORD = "correct horse battery staple"
CONNECT_BINARY = {"content-type": "application/proto", "connect-protocol-version": "1"}


@contextmanager
def emulated_stores() -> Iterator[Stores]:
    """Stores over a fresh moto table, for as long as the block runs."""
    with pytest.MonkeyPatch.context() as patch:
        for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
            patch.setenv(name, "testing")
        patch.setenv("AWS_DEFAULT_REGION", REGION)
        patch.setenv("AWS_REGION", REGION)
        for name in ("MEMOS_DYNAMODB_ENDPOINT", "MEMOS_S3_ENDPOINT", "MEMOS_JWT_SECRET_NAME"):
            patch.delenv(name, raising=False)
        _clear_caches()
        with mock_aws():
            settings = Settings(table_name=TABLE, aws_region=REGION)
            ensure_table(dynamodb_client_for(settings), TABLE)
            yield stores_from_settings(settings)
        _clear_caches()


def _clear_caches() -> None:
    dynamodb_client.cache_clear()
    stores_from_environment.cache_clear()
    get_settings.cache_clear()


def local_settings(data_dir: Path) -> Settings:
    return Settings(local_data_dir=str(data_dir))


def verifier_for(stores: Stores, settings: Settings) -> StoreTokenVerifier:
    return StoreTokenVerifier(stores, secrets=lambda: signing_secrets(settings))


def add_user(
    stores: Stores,
    username: str,
    *,
    password: str = PASSWORD,
    role: str = "USER",
    archived: bool = False,
) -> User:
    user = stores.users.create(
        NewUser(username=username, role=role, password_hash=hash_password(password))
    )
    if archived:
        user = stores.users.update(user.id, UserChanges(state="ARCHIVED"))
    return user


def connect_call(
    app: ASGIApp,
    procedure: str,
    request: Message,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """A Connect unary call in binary, as the Memos web app makes it."""
    return call(
        app,
        "POST",
        procedure,
        body=request.SerializeToString(),
        headers={**CONNECT_BINARY, **(headers or {})},
    )


def rest_call(
    app: ASGIApp,
    method: str,
    path: str,
    body: Any = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """A REST call with a JSON body when one is given."""
    all_headers = dict(headers or {})
    raw = b""
    if body is not None:
        all_headers["content-type"] = "application/json"
        raw = json.dumps(body).encode()
    return call(app, method, path, body=raw, headers=all_headers)


def cookie_pair(set_cookie: str | None) -> str:
    """The ``name=value`` a browser sends back for a ``Set-Cookie`` value."""
    assert set_cookie is not None, "no Set-Cookie header"
    return set_cookie.split(";", 1)[0]
