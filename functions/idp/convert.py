"""Stored identity providers <-> API messages.

Conversion only: what a client may send is checked in ``functions.idp.validation``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from memos import names
from memos.api.v1 import idp_service_pb2 as pb
from memos.store.identity_providers import (
    OAUTH2,
    TYPE_UNSPECIFIED,
    FieldMapping,
    IdentityProvider,
    OAuth2Config,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

TYPES: Final[Mapping[str, pb.IdentityProvider.Type]] = {
    TYPE_UNSPECIFIED: pb.IdentityProvider.TYPE_UNSPECIFIED,
    OAUTH2: pb.IdentityProvider.OAUTH2,
}


def type_name(value: int) -> str | None:
    """The stored name of a type a client sent; None for a number the API doesn't define."""
    for name, number in TYPES.items():
        if number == value:
            return name
    return None


def provider_to_proto(provider: IdentityProvider, *, redact: bool) -> pb.IdentityProvider:
    """The API form; ``redact`` blanks the client secret (for anyone but an ADMIN)."""
    message = pb.IdentityProvider(
        name=names.identity_provider_name(provider.id),
        type=TYPES.get(provider.type, pb.IdentityProvider.TYPE_UNSPECIFIED),
        title=provider.title,
        identifier_filter=provider.identifier_filter,
    )
    if provider.type == OAUTH2:
        config = provider.oauth2 or OAuth2Config()
        message.config.oauth2_config.CopyFrom(oauth2_to_proto(config, redact=redact))
    return message


def oauth2_to_proto(config: OAuth2Config, *, redact: bool) -> pb.OAuth2Config:
    mapping = config.field_mapping
    return pb.OAuth2Config(
        client_id=config.client_id,
        client_secret="" if redact else config.client_secret,
        auth_url=config.auth_url,
        token_url=config.token_url,
        user_info_url=config.user_info_url,
        scopes=list(config.scopes),
        field_mapping=pb.FieldMapping(
            identifier=mapping.identifier,
            display_name=mapping.display_name,
            email=mapping.email,
            avatar_url=mapping.avatar_url,
        ),
    )


def oauth2_from_proto(message: pb.OAuth2Config) -> OAuth2Config:
    mapping = message.field_mapping
    return OAuth2Config(
        client_id=message.client_id,
        client_secret=message.client_secret,
        auth_url=message.auth_url,
        token_url=message.token_url,
        user_info_url=message.user_info_url,
        scopes=tuple(message.scopes),
        field_mapping=FieldMapping(
            identifier=mapping.identifier,
            display_name=mapping.display_name,
            email=mapping.email,
            avatar_url=mapping.avatar_url,
        ),
    )
