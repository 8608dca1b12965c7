"""The SSO identifier: the provider's identifier filter (RE2, unanchored) and the username rule."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pytest

from tests.integration.auth_sso.conftest import SsoApi, add_provider, connect_error
from tests.integration.identity import add_user

if TYPE_CHECKING:
    from memos.store import Stores
    from tests.integration.auth_sso.conftest import FakeProvider


def sign_in_as(api: SsoApi, provider: FakeProvider, idp_id: int, login: str) -> tuple[int, str]:
    response = api.sign_in(idp_id, provider.issue_code({"login": login}))
    if response.status == 200:
        return 200, ""
    return response.status, connect_error(response)[2]


def test_the_filter_is_searched_anywhere_in_the_identifier(
    api: SsoApi, stores: Stores, provider: FakeProvider
) -> None:
    # Given a provider whose filter is unanchored
    idp = add_provider(stores, provider, identifier_filter="@example\\.com")

    # When identifiers with the domain anywhere, and one without it, sign in
    inside = sign_in_as(api, provider, idp.id, "alice@example.com.evil.org")
    at_end = sign_in_as(api, provider, idp.id, "bob@example.com")
    without = sign_in_as(api, provider, idp.id, "carol@evil.org")

    # Then a match anywhere is enough, and no match is refused with Memos' message
    assert inside == (200, "")
    assert at_end == (200, "")
    assert without == (403, "identifier carol@evil.org is not allowed")
    assert stores.users.get_by_username("carol@evil.org") is None


def test_an_anchored_filter_must_match_the_whole_identifier(
    api: SsoApi, stores: Stores, provider: FakeProvider
) -> None:
    # Given a filter anchored at both ends
    idp = add_provider(stores, provider, identifier_filter="^[a-z]+@example\\.com$")

    # When a matching and a merely containing identifier sign in
    good = sign_in_as(api, provider, idp.id, "alice@example.com")
    bad = sign_in_as(api, provider, idp.id, "alice@example.com.evil.org")

    # Then only the whole match passes
    assert good == (200, "")
    assert bad[0] == 403


def test_the_filter_also_applies_to_existing_users(
    api: SsoApi, stores: Stores, provider: FakeProvider
) -> None:
    # Given an existing user the filter does not allow
    add_user(stores, "alice")
    idp = add_provider(stores, provider, identifier_filter="^admin")

    # When that user signs in through the provider
    status, message = sign_in_as(api, provider, idp.id, "alice")

    # Then they are refused
    assert (status, message) == (403, "identifier alice is not allowed")


def test_a_catastrophic_backtracking_filter_answers_at_once(
    api: SsoApi, stores: Stores, provider: FakeProvider
) -> None:
    # Given a filter that makes a backtracking engine take exponential time
    idp = add_provider(stores, provider, identifier_filter="^(a|a)+$")

    # When an identifier that almost matches signs in
    started = time.monotonic()
    status, message = sign_in_as(api, provider, idp.id, "a" * 100 + "b")

    # Then RE2 answers in linear time: refused, quickly
    assert (status, message) == (403, f"identifier {'a' * 100}b is not allowed")
    assert time.monotonic() - started < 2


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("(", "missing ): ("),
        ("a(?=b)", "invalid perl operator: (?="),
        ("((a{1000}){1000}){1000}", "invalid repetition size: {1000}"),
        ("(?:\\pL{100}){10}", "pattern too large - compile failed"),
        ("a" * 513, "the pattern is longer than 512 characters"),
    ],
    ids=["unbalanced", "lookahead", "huge-repetition", "too-much-memory", "too-long"],
)
def test_an_unusable_filter_is_failed_precondition_before_the_code_is_spent(
    api: SsoApi, stores: Stores, provider: FakeProvider, pattern: str, reason: str
) -> None:
    # Given a provider stored with a filter RE2 can't run (Go's syntax, bounded memory)
    idp = add_provider(stores, provider, identifier_filter=pattern)

    # When somebody signs in through it
    response = api.sign_in(idp.id, provider.issue_code({"login": "alice"}))

    # Then Memos' message carries RE2's reason, and the provider was not called
    assert connect_error(response) == (
        400,
        "failed_precondition",
        f"failed to compile identifier filter regex, error: {reason}",
    )
    assert provider.received == []


@pytest.mark.parametrize(
    "login",
    [
        "alice",
        "123456789",
        "alice.smith+memos@example.co.uk",
        "a_b-c",
        "x" * 128,
    ],
)
def test_identifiers_that_make_sane_usernames_sign_in(
    api: SsoApi, stores: Stores, provider: FakeProvider, login: str
) -> None:
    # Given a provider
    idp = add_provider(stores, provider)

    # When a person with that identifier signs in for the first time
    status, _ = sign_in_as(api, provider, idp.id, login)

    # Then they are created under it
    assert status == 200
    assert stores.users.get_by_username(login) is not None


@pytest.mark.parametrize(
    "login",
    ["x" * 129, "users/1", "alice smith", "-alice", ".hidden", "al\nice", "ålice", "a#b"],
    ids=[
        "too-long",
        "slash",
        "space",
        "leading-dash",
        "leading-dot",
        "newline",
        "non-ascii",
        "hash",
    ],
)
def test_identifiers_that_cannot_be_usernames_are_refused(
    api: SsoApi, stores: Stores, provider: FakeProvider, login: str
) -> None:
    # Given a provider
    idp = add_provider(stores, provider)

    # When a person with that identifier signs in
    response = api.sign_in(idp.id, provider.issue_code({"login": login}))

    # Then nobody is created, and the message names the mapped field, not the value
    status, code, message = connect_error(response)
    assert (status, code) == (400, "failed_precondition")
    assert message.startswith("the identity provider's \"login\" value can't be a username")
    assert login not in message
    assert stores.users.count() == 0
