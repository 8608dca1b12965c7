"""SSO sign-in (spec idp.md §5): from the code the browser brought back to the user it signs in.

Memos' order: the provider, its configuration, the code exchange, the user info, the identifier
filter, the user with that username (linking is by username only, without any profile sync) or
else a new USER when registration is open, and the archived check. The token issuing is the
password sign-in's, in the service.

Additions (docs/decisions.md, "SSO sign-in"): the request's strings are bounded; the provider's
type and identifier filter are checked before its code is spent; the identifier must be usable
as a username (:mod:`functions.auth.sso_identifier`); a new user keeps the provider's email and
avatar only when they pass the rules every other path applies (an avatar must already be a data
URI, no URL is fetched), and a display name longer than the cap is cut; two first sign-ins of
the same person at once both end signed in as the one user created.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Final

from msgspec import Struct

from functions.auth.oauth2_client import CodeGrant, exchange_code, fetch_user_info
from functions.auth.sso_identifier import IdentifierCheck, check_identifier
from memos.domain import user_validation as validation
from memos.domain.avatars import check_avatar_url
from memos.domain.enums import State
from memos.domain.registration import register_from_identity_provider
from memos.errors import (
    AlreadyExistsError,
    FailedPreconditionError,
    InvalidArgumentError,
    PermissionDeniedError,
)
from memos.net.outbound_http import Deadline, ProviderHttp
from memos.store.identity_providers import OAUTH2
from memos.store.users import NewUser

if TYPE_CHECKING:
    from functions.auth.oauth2_client import UserInfo
    from memos.net.outbound_http import OutboundPolicy
    from memos.store import Stores
    from memos.store.identity_providers import IdentityProvider, OAuth2Config
    from memos.store.users import User

IDENTITY_PROVIDER_NOT_FOUND: Final = "identity provider not found"
MAX_CODE_LENGTH: Final = 4096
MAX_REDIRECT_URI_LENGTH: Final = 2048
MAX_CODE_VERIFIER_LENGTH: Final = 128  # RFC 7636 §4.1


class SsoCredentials(Struct, frozen=True):
    """SignIn's ``sso_credentials``."""

    idp_id: int
    code: str
    redirect_uri: str
    code_verifier: str = ""


class SsoSignIn:
    def __init__(self, stores: Stores, policy: OutboundPolicy) -> None:
        self._providers = stores.identity_providers
        self._users = stores.users
        self._instance_settings = stores.instance_settings
        self._policy = policy

    async def authenticate(self, credentials: SsoCredentials) -> User:
        """The user these credentials sign in, by Memos' rules and in Memos' order."""
        grant = _grant(credentials)
        provider = self._providers.get(credentials.idp_id)
        if provider is None:
            raise InvalidArgumentError(IDENTITY_PROVIDER_NOT_FOUND)
        config = _usable_config(provider)
        identifier_check = IdentifierCheck(provider.identifier_filter)
        # The provider may take seconds to answer: off the event loop (the local server).
        info = await asyncio.to_thread(self._ask_provider, config, grant)
        identifier = check_identifier(info.identifier, config.field_mapping.identifier)
        identifier_check.require_allowed(identifier)
        user = self._users.get_by_username(identifier) or self._register(identifier, info)
        if user.state == State.ARCHIVED:
            raise PermissionDeniedError(f"user has been archived with username {user.username}")
        return user

    def _ask_provider(self, config: OAuth2Config, grant: CodeGrant) -> UserInfo:
        http = ProviderHttp(self._policy, Deadline(self._policy.total_timeout))
        access_token = exchange_code(http, config, grant)
        return fetch_user_info(http, config, access_token)

    def _register(self, identifier: str, info: UserInfo) -> User:
        profile = NewUser(
            username=identifier,
            display_name=info.display_name[: validation.MAX_DISPLAY_NAME_LENGTH],
            email=_acceptable_email(info.email),
            avatar_url=_acceptable_avatar(info.avatar_url),
        )
        try:
            return register_from_identity_provider(self._users, self._instance_settings, profile)
        except AlreadyExistsError:
            # The same person's other sign-in created the user a moment ago: sign into it.
            user = self._users.get_by_username(identifier)
            if user is None:
                raise
            return user


def _grant(credentials: SsoCredentials) -> CodeGrant:
    if not credentials.code:
        raise InvalidArgumentError("code is required")
    if len(credentials.code) > MAX_CODE_LENGTH:
        raise InvalidArgumentError(f"code is longer than {MAX_CODE_LENGTH} characters")
    if len(credentials.redirect_uri) > MAX_REDIRECT_URI_LENGTH:
        raise InvalidArgumentError(
            f"redirect_uri is longer than {MAX_REDIRECT_URI_LENGTH} characters"
        )
    if len(credentials.code_verifier) > MAX_CODE_VERIFIER_LENGTH:
        raise InvalidArgumentError(
            f"code_verifier is longer than {MAX_CODE_VERIFIER_LENGTH} characters"
        )
    return CodeGrant(credentials.code, credentials.redirect_uri, credentials.code_verifier)


def _usable_config(provider: IdentityProvider) -> OAuth2Config:
    """The OAuth2 configuration, when it has everything a sign-in needs.

    A missing field is reported in Memos' words, naming the last empty one in Memos' order.
    """
    config = provider.oauth2
    if provider.type != OAUTH2 or config is None:
        raise FailedPreconditionError(
            f"identity provider type {provider.type[:40]} can't be used to sign in"
        )
    required = (
        ("clientId", config.client_id),
        ("clientSecret", config.client_secret),
        ("tokenUrl", config.token_url),
        ("userInfoUrl", config.user_info_url),
        ("fieldMapping.identifier", config.field_mapping.identifier),
    )
    empty = [name for name, value in required if not value]
    if empty:
        raise FailedPreconditionError(
            "failed to create oauth2 identity provider, error: "
            f'the field "{empty[-1]}" is empty but required'
        )
    return config


def _acceptable_email(email: str) -> str:
    try:
        return validation.check_email(email)
    except InvalidArgumentError:
        return ""


def _acceptable_avatar(avatar_url: str) -> str:
    try:
        return check_avatar_url(avatar_url)
    except InvalidArgumentError:
        return ""
