"""IdentityProviderService: the SSO identity providers (spec idp.md §1-§3).

Anyone may list providers and any signed-in user may read one, but only an ADMIN sees client
secrets; only an ADMIN creates, updates or deletes. Deviations from Memos v0.26.2 are listed in
docs/decisions.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from google.protobuf import empty_pb2
from msgspec.structs import replace

from functions.idp.convert import provider_to_proto, type_name
from functions.idp.validation import checked_identifier_filter, checked_oauth2, checked_title
from memos import names
from memos.api.v1 import idp_service_connect
from memos.api.v1 import idp_service_pb2 as pb
from memos.caller import current_user, is_admin, require_admin
from memos.errors import InvalidArgumentError, NotFoundError
from memos.store.identity_providers import OAUTH2, IdentityProvider

if TYPE_CHECKING:
    from collections.abc import Sequence

    from connectrpc.request import RequestContext

    from memos.store import Stores

    Context = RequestContext[Any, Any]

PROVIDER_NOT_FOUND: Final = "identity provider not found"
PROVIDER_REQUIRED: Final = "identity_provider is required"
UPDATE_MASK_REQUIRED: Final = "update_mask is required"
TITLE_PATH: Final = "title"
IDENTIFIER_FILTER_PATH: Final = "identifier_filter"
CONFIG_PATH: Final = "config"


class IdentityProviderService(idp_service_connect.IdentityProviderService):
    """Serves memos.api.v1.IdentityProviderService."""

    def __init__(self, stores: Stores) -> None:
        self._providers = stores.identity_providers
        self._users = stores.users

    async def list_identity_providers(
        self, request: pb.ListIdentityProvidersRequest, ctx: Context
    ) -> pb.ListIdentityProvidersResponse:
        redact = self._redacts()
        return pb.ListIdentityProvidersResponse(
            identity_providers=[
                provider_to_proto(provider, redact=redact) for provider in self._providers.list()
            ]
        )

    async def get_identity_provider(
        self, request: pb.GetIdentityProviderRequest, ctx: Context
    ) -> pb.IdentityProvider:
        provider = self._existing(names.parse_identity_provider_name(request.name))
        return provider_to_proto(provider, redact=self._redacts())

    async def create_identity_provider(
        self, request: pb.CreateIdentityProviderRequest, ctx: Context
    ) -> pb.IdentityProvider:
        """``identity_provider_id`` and the provider's ``name`` are ignored: ids are generated."""
        require_admin(self._users)
        if not request.HasField("identity_provider"):
            raise InvalidArgumentError(PROVIDER_REQUIRED)
        sent = request.identity_provider
        provider_type = _checked_type(sent.type)
        provider = IdentityProvider(
            id=0,
            title=checked_title(sent.title),
            type=provider_type,
            identifier_filter=checked_identifier_filter(sent.identifier_filter),
            oauth2=checked_oauth2(sent.config) if provider_type == OAUTH2 else None,
        )
        return provider_to_proto(self._providers.create(provider), redact=False)

    async def update_identity_provider(
        self, request: pb.UpdateIdentityProviderRequest, ctx: Context
    ) -> pb.IdentityProvider:
        """Applies the mask's ``title``, ``identifier_filter`` and ``config`` paths; any other
        path is ignored. ``config`` replaces the whole OAuth2 configuration, the client secret
        included, and only when the request's type is OAUTH2 (the type itself never changes)."""
        require_admin(self._users)
        paths = list(request.update_mask.paths)
        if not paths:
            raise InvalidArgumentError(UPDATE_MASK_REQUIRED)
        sent = request.identity_provider
        stored = self._existing(names.parse_identity_provider_name(sent.name))
        updated = _apply_mask(stored, sent, paths)
        if updated != stored:
            saved = self._providers.replace(updated)
            if saved is None:  # deleted since it was read
                raise NotFoundError(PROVIDER_NOT_FOUND)
            updated = saved
        return provider_to_proto(updated, redact=False)

    async def delete_identity_provider(
        self, request: pb.DeleteIdentityProviderRequest, ctx: Context
    ) -> empty_pb2.Empty:
        require_admin(self._users)
        provider_id = names.parse_identity_provider_name(request.name)
        if not self._providers.delete(provider_id):
            raise NotFoundError(PROVIDER_NOT_FOUND)
        return empty_pb2.Empty()

    def _redacts(self) -> bool:
        """Client secrets are for ADMINs only: anonymous callers, other roles and callers whose
        user can't be found see them blank."""
        return not is_admin(current_user(self._users))

    def _existing(self, provider_id: int) -> IdentityProvider:
        provider = self._providers.get(provider_id)
        if provider is None:
            raise NotFoundError(PROVIDER_NOT_FOUND)
        return provider


def _checked_type(value: int) -> str:
    name = type_name(value)
    if name is None:
        raise InvalidArgumentError(f"invalid type: {value}")
    return name


def _configures_oauth2(stored: IdentityProvider, sent: pb.IdentityProvider) -> bool:
    """Memos reads ``config`` by the request's type; a stored provider of another type has no
    OAuth2 configuration to replace (Memos would store one that is never read)."""
    return sent.type == pb.IdentityProvider.OAUTH2 and stored.type == OAUTH2


def _apply_mask(
    stored: IdentityProvider, sent: pb.IdentityProvider, paths: Sequence[str]
) -> IdentityProvider:
    """The stored provider with the masked values of ``sent``, each checked."""
    updated = stored
    for path in paths:
        if path == TITLE_PATH:
            updated = replace(updated, title=checked_title(sent.title))
        elif path == IDENTIFIER_FILTER_PATH:
            updated = replace(
                updated, identifier_filter=checked_identifier_filter(sent.identifier_filter)
            )
        elif path == CONFIG_PATH and _configures_oauth2(stored, sent):
            updated = replace(updated, oauth2=checked_oauth2(sent.config))
    return updated
