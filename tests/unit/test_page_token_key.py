"""The page-token key: derived from the current signing secret, never the secret itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from memos.auth.signing_secret import forget_cached_secrets, page_token_key, signing_secrets
from memos.config import Settings
from memos.errors import InvalidArgumentError
from memos.store.paging import PageTokenCodec

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


@pytest.fixture(autouse=True)
def _no_cached_secrets() -> Iterator[None]:
    forget_cached_secrets()
    yield
    forget_cached_secrets()


def test_key_is_stable_for_one_secret_and_differs_from_it(tmp_path: Path) -> None:
    # Given a local signing secret
    settings = Settings(local_data_dir=str(tmp_path))

    # When the page-token key is derived twice
    first, second = page_token_key(settings), page_token_key(settings)

    # Then it is the same 32-byte key, and not the secret
    assert first == second
    assert len(first) == 32
    assert first not in signing_secrets(settings)


def test_tokens_signed_under_another_secret_are_refused(tmp_path: Path) -> None:
    # Given tokens issued by an instance with a different secret
    other = PageTokenCodec(page_token_key(Settings(local_data_dir=str(tmp_path / "a"))))
    forget_cached_secrets()
    ours = PageTokenCodec(page_token_key(Settings(local_data_dir=str(tmp_path / "b"))))
    token = other.encode({"cursor": {"pk": "USER#1"}})

    # When this instance decodes one
    # Then it is an invalid page token
    with pytest.raises(InvalidArgumentError, match="invalid page token"):
        ours.decode(token)
