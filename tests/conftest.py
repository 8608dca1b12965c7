"""Shared test fixtures: settings isolation and a test token verifier."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from memos.auth.identity import Identity
from memos.config import get_settings

if TYPE_CHECKING:
    from collections.abc import Iterator

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
