"""Identity providers (SSO): ``IDP#<id>``/``IDP``, listed by id on GSI1 ``IDPS``.

The OAuth2 configuration is stored as plain values, the client secret included: the table is
encrypted at rest and only the IdP and auth functions read these items. Redaction for callers
who aren't ADMINs is the service's job.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from msgspec import Struct, field
from msgspec.structs import replace

from memos.store import keys
from memos.store.schema import GSI1
from memos.store.table import ConditionFailedError, item_exists

if TYPE_CHECKING:
    from collections.abc import Mapping

    from memos.store.codec import Item
    from memos.store.counters import CounterStore
    from memos.store.table import DynamoTable

IDP_COUNTER: Final = "idps"
OAUTH2: Final = "OAUTH2"
TYPE_UNSPECIFIED: Final = "TYPE_UNSPECIFIED"


class FieldMapping(Struct, frozen=True):
    identifier: str = ""
    display_name: str = ""
    email: str = ""
    avatar_url: str = ""


class OAuth2Config(Struct, frozen=True):
    client_id: str = ""
    client_secret: str = ""
    auth_url: str = ""
    token_url: str = ""
    user_info_url: str = ""
    scopes: tuple[str, ...] = ()
    field_mapping: FieldMapping = field(default_factory=FieldMapping)


class IdentityProvider(Struct, frozen=True):
    """``oauth2`` is None for any type but OAUTH2 (Memos stores those with an empty config)."""

    id: int
    title: str
    type: str = OAUTH2
    identifier_filter: str = ""
    oauth2: OAuth2Config | None = None


class IdentityProviderStore:
    def __init__(self, table: DynamoTable, counters: CounterStore) -> None:
        self._table = table
        self._counters = counters

    def get(self, idp_id: int) -> IdentityProvider | None:
        item = self._table.get(keys.identity_provider_key(idp_id))
        return provider_from_item(item) if item else None

    def list(self) -> list[IdentityProvider]:
        """Every provider, id ascending: one Query on GSI1 (pages followed)."""
        items = self._table.query_all(keys.IDPS_INDEX_PARTITION, index=GSI1, forward=True)
        return [provider_from_item(item) for item in items]

    def create(self, provider: IdentityProvider) -> IdentityProvider:
        """Store ``provider`` under a new id (its ``id`` is ignored)."""
        created = replace(provider, id=self._counters.next_id(IDP_COUNTER))
        self._table.put_new(provider_item(created))
        return created

    def create_imported(self, provider: IdentityProvider) -> None:
        """Store a provider brought from another instance under its own id (a taken id is
        ``ConditionFailedError``), and raise the id counter past it."""
        self._table.put_new(provider_item(provider))
        self._counters.raise_to(IDP_COUNTER, provider.id)

    def replace(self, provider: IdentityProvider) -> IdentityProvider | None:
        """Overwrite an existing provider; None when there is none with that id."""
        try:
            self._table.put(provider_item(provider), condition=item_exists())
        except ConditionFailedError:
            return None
        return provider

    def delete(self, idp_id: int) -> bool:
        """Whether a provider with that id existed (and is now gone)."""
        try:
            self._table.delete(keys.identity_provider_key(idp_id), condition=item_exists())
        except ConditionFailedError:
            return False
        return True


def provider_item(provider: IdentityProvider) -> dict[str, Any]:
    item: dict[str, Any] = {
        **keys.identity_provider_key(provider.id).attributes(),
        **keys.identity_providers_index_key(provider.id).attributes(),
        "entity": "IDP",
        "id": provider.id,
        "title": provider.title,
        "type": provider.type,
        "identifier_filter": provider.identifier_filter,
    }
    config = provider.oauth2
    if config is not None:
        mapping = config.field_mapping
        item["oauth2"] = {
            "client_id": config.client_id,
            "client_secret": config.client_secret,
            "auth_url": config.auth_url,
            "token_url": config.token_url,
            "user_info_url": config.user_info_url,
            "scopes": list(config.scopes),
            "field_mapping": {
                "identifier": mapping.identifier,
                "display_name": mapping.display_name,
                "email": mapping.email,
                "avatar_url": mapping.avatar_url,
            },
        }
    return item


def provider_from_item(item: Mapping[str, Any] | Item) -> IdentityProvider:
    raw = item.get("oauth2")
    config = None
    if isinstance(raw, dict):
        mapping = raw.get("field_mapping") or {}
        config = OAuth2Config(
            client_id=str(raw.get("client_id", "")),
            client_secret=str(raw.get("client_secret", "")),
            auth_url=str(raw.get("auth_url", "")),
            token_url=str(raw.get("token_url", "")),
            user_info_url=str(raw.get("user_info_url", "")),
            scopes=tuple(str(scope) for scope in raw.get("scopes", [])),
            field_mapping=FieldMapping(
                identifier=str(mapping.get("identifier", "")),
                display_name=str(mapping.get("display_name", "")),
                email=str(mapping.get("email", "")),
                avatar_url=str(mapping.get("avatar_url", "")),
            ),
        )
    return IdentityProvider(
        id=int(item["id"]),
        title=str(item.get("title", "")),
        type=str(item.get("type", OAUTH2)),
        identifier_filter=str(item.get("identifier_filter", "")),
        oauth2=config,
    )
