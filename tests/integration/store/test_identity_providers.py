"""IdentityProviderStore on DynamoDB (moto): Memos' store/test/idp_test.go facts, id order, and
conditional replace and delete."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from msgspec.structs import replace

from memos.store.identity_providers import (
    OAUTH2,
    TYPE_UNSPECIFIED,
    FieldMapping,
    IdentityProvider,
    OAuth2Config,
)

if TYPE_CHECKING:
    from memos.store import Stores
    from memos.store.identity_providers import IdentityProviderStore


@pytest.fixture
def providers(moto_stores: Stores) -> IdentityProviderStore:
    return moto_stores.identity_providers


def github(title: str = "GitHub OAuth") -> IdentityProvider:
    return IdentityProvider(
        id=0,
        title=title,
        type=OAUTH2,
        identifier_filter="",
        oauth2=OAuth2Config(
            client_id="client-id",
            client_secret="client-secret",
            auth_url="https://github.com/login/oauth/authorize",
            token_url="https://github.com/login/oauth/access_token",
            user_info_url="https://api.github.com/user",
            scopes=("read:user", "user:email"),
            field_mapping=FieldMapping(
                identifier="login", display_name="name", email="email", avatar_url="avatar_url"
            ),
        ),
    )


def test_created_provider_reads_back_equal_and_a_rename_persists(
    providers: IdentityProviderStore,
) -> None:
    # Given a created provider
    created = providers.create(github())

    # When it is read back, then renamed
    read = providers.get(created.id)
    providers.replace(replace(created, title="GitHub SSO"))

    # Then the read equals what was created, and the new title is stored
    assert read == created == replace(github(), id=created.id)
    assert providers.get(created.id) == replace(created, title="GitHub SSO")


def test_deleted_provider_leaves_an_empty_list(providers: IdentityProviderStore) -> None:
    # Given one provider
    created = providers.create(github())

    # When it is deleted, twice
    first, second = providers.delete(created.id), providers.delete(created.id)

    # Then the first delete found it, the second didn't, and nothing is left
    assert (first, second) == (True, False)
    assert providers.list() == []
    assert providers.get(created.id) is None


def test_unknown_id_is_none(providers: IdentityProviderStore) -> None:
    # Given no providers
    # When ids are read that were never created
    # Then each is None, without error
    assert [providers.get(i) for i in (1, 0, -1, 2**31 - 1)] == [None] * 4


def test_providers_are_listed_by_id_and_each_is_found_by_id(
    providers: IdentityProviderStore,
) -> None:
    # Given twelve providers (ids past 9, so text order would differ from number order)
    created = [providers.create(github(f"IdP {n}")) for n in range(12)]

    # When they are listed and one is looked up
    listed = providers.list()

    # Then the list is id ascending and the lookup returns that one
    assert [p.id for p in listed] == list(range(1, 13))
    assert listed == created
    assert providers.get(created[4].id) == replace(github("IdP 4"), id=5)


def test_create_ignores_the_given_id(providers: IdentityProviderStore) -> None:
    # Given a provider already at id 1
    providers.create(github("first"))

    # When another is created asking for id 1
    second = providers.create(replace(github("second"), id=1))

    # Then it gets the next id and the first is untouched
    assert second.id == 2
    assert [p.title for p in providers.list()] == ["first", "second"]


def test_identifier_filter_config_and_several_fields_persist(
    providers: IdentityProviderStore,
) -> None:
    # Given a provider
    created = providers.create(github())
    new_config = OAuth2Config(
        client_id="new-client-id",
        client_secret="new-client-secret",
        token_url="https://example.com/token",
        scopes=("openid", "profile"),
        field_mapping=FieldMapping(identifier="sub"),
    )

    # When its filter, then its config, then title and filter together are replaced
    filtered = providers.replace(replace(created, identifier_filter="@example.com$"))
    assert filtered is not None
    reconfigured = providers.replace(replace(filtered, oauth2=new_config))
    assert reconfigured is not None
    providers.replace(replace(reconfigured, title="Updated IDP", identifier_filter="^admin@"))

    # Then every change is stored
    stored = providers.get(created.id)
    assert stored == replace(
        created, title="Updated IDP", identifier_filter="^admin@", oauth2=new_config
    )
    assert stored.oauth2 is not None
    assert "openid" in stored.oauth2.scopes


def test_replacing_an_unknown_provider_creates_nothing(providers: IdentityProviderStore) -> None:
    # Given no providers
    # When provider 9 is replaced
    result = providers.replace(replace(github(), id=9))

    # Then nothing is written
    assert result is None
    assert providers.list() == []


def test_provider_without_oauth2_config_reads_back_without_one(
    providers: IdentityProviderStore,
) -> None:
    # Given a TYPE_UNSPECIFIED provider with empty values
    created = providers.create(IdentityProvider(id=0, title="", type=TYPE_UNSPECIFIED))

    # When it is read back
    read = providers.get(created.id)

    # Then it has no OAuth2 config and empty values, as stored
    assert read == IdentityProvider(id=created.id, title="", type=TYPE_UNSPECIFIED)


def test_empty_strings_and_no_scopes_round_trip(providers: IdentityProviderStore) -> None:
    # Given an OAUTH2 provider whose config is all empty (Memos accepts it)
    created = providers.create(IdentityProvider(id=0, title="", oauth2=OAuth2Config()))

    # When it is read back
    # Then it is equal, empty scopes and mapping included
    assert providers.get(created.id) == created
    assert providers.list() == [created]
