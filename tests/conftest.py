"""Shared test fixtures: settings isolation, a test token verifier and the in-memory store.

- ``memory_stores``: :class:`memos.store.Stores` over a fresh in-memory DynamoDB table
  (:mod:`memos.store.memory`: moto's DynamoDB engine in process, without botocore). For rule
  tests; a directory or module moves onto it by overriding ``stores`` with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from memos.auth.identity import Identity
from memos.config import get_settings

if TYPE_CHECKING:
    from collections.abc import Iterator

    from memos.store import Stores

ALICE = Identity(user_id=1, username="alice", role="USER", credential="access_token")


class StaticTokenVerifier:
    """Knows exactly one good token."""

    def __init__(self, token: str = "good", identity: Identity = ALICE) -> None:
        self._token = token
        self._identity = identity

    def verify(self, token: str) -> Identity | None:
        return self._identity if token == self._token else None


@pytest.fixture(autouse=True)
def _fresh_settings() -> Iterator[None]:
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def memory_stores() -> Stores:
    # moto is imported only by the tests that use the in-memory table.
    from memos.store.memory import memory_stores as fresh_stores  # noqa: PLC0415

    return fresh_stores()
