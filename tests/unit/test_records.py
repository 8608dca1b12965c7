"""Records are msgspec Structs; the few that carry secrets keep them out of their representation,
and an identity is who the caller is, whatever user row rides along with it."""

from __future__ import annotations

from pathlib import Path

import pytest
from msgspec.structs import replace

from infra.bundling import source_files
from memos.auth.identity import Identity
from memos.store.users import User
from memos.store.webhooks import Webhook

HASH = "$2b$10$abcdefghijklmnopqrstuuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ012"


def alice(**changes: object) -> User:
    user = User(7, "alice", "USER", "NORMAL", email="a@example.com", password_hash=HASH)
    return replace(user, **changes)


def test_a_user_shows_every_field_but_its_password_hash() -> None:
    shown = repr(alice())
    assert shown.startswith("User(id=7, username='alice', role='USER', state='NORMAL'")
    assert "email='a@example.com'" in shown
    assert "password_hash" not in shown
    assert HASH not in shown


def test_a_webhook_shows_every_field_but_its_signing_secret() -> None:
    webhook = Webhook(7, "w1", "ci", "https://example.com/hook", 1, 2, "whsec_c2VjcmV0")
    shown = repr(webhook)
    assert shown == (
        "Webhook(user_id=7, webhook_id='w1', title='ci', url='https://example.com/hook',"
        " created_at=1, updated_at=2)"
    )


def test_an_identity_is_the_caller_not_the_row_that_came_with_it() -> None:
    bare = Identity(7, "alice", "USER", "access_token")
    with_row = Identity(7, "alice", "USER", "access_token", user=alice())
    assert bare == with_row
    assert hash(bare) == hash(with_row)
    assert with_row != Identity(7, "alice", "ADMIN", "access_token", user=alice())
    assert with_row != Identity(7, "alice", "USER", "personal_access_token")
    # And the row (with its password hash) stays out of logs
    assert repr(with_row) == (
        "Identity(user_id=7, username='alice', role='USER', credential='access_token')"
    )


def test_records_are_frozen() -> None:
    with pytest.raises(AttributeError):
        alice().username = "mallory"  # type: ignore[misc]


def test_shipped_code_defines_no_dataclasses() -> None:
    # Given the code that goes into the Lambda functions and their layer, as the build lists it
    root = Path(__file__).resolve().parents[2]
    sources = [*source_files(root / "shared" / "memos"), *source_files(root / "functions")]
    # Then none of it defines a dataclass: each costs about 1 ms of cold start where a Struct
    # costs a few microseconds (docs/decisions.md, "Records are msgspec Structs")
    defining = [
        str(path.relative_to(root))
        for path in sources
        if "@dataclass" in (text := path.read_text()) or "make_dataclass(" in text
    ]
    assert sources
    assert defining == []
