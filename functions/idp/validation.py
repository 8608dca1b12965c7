"""What an identity provider an ADMIN sends may hold.

Memos checks nothing here (problems surface at sign-in, or as internal errors when a value can't
be stored). These bounds are generous for any real provider and keep one provider item far below
DynamoDB's 400 KB item limit (about 45 KB at most); each failure is INVALID_ARGUMENT naming the
field. Empty values stay allowed, as in Memos: sign-in reports what it needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final
from urllib.parse import urlsplit

from functions.idp.convert import oauth2_from_proto
from memos.domain.identifier_filters import (
    MAX_FILTER_LENGTH,
    InvalidIdentifierFilter,
    compile_identifier_filter,
)
from memos.errors import InvalidArgumentError

if TYPE_CHECKING:
    from memos.api.v1 import idp_service_pb2 as pb
    from memos.store.identity_providers import OAuth2Config

MAX_TITLE_LENGTH: Final = 256
MAX_IDENTIFIER_FILTER_LENGTH: Final = MAX_FILTER_LENGTH
MAX_URL_LENGTH: Final = 2048
MAX_CLIENT_VALUE_LENGTH: Final = 4096  # client id and secret (some secrets are signed JWTs)
MAX_SCOPES: Final = 100
MAX_SCOPE_LENGTH: Final = 256
MAX_CLAIM_NAME_LENGTH: Final = 256  # each field mapping entry names a userinfo key

CONFIG_FIELD: Final = "config.oauth2_config"
CONFIG_REQUIRED: Final = f"{CONFIG_FIELD} is required for an OAUTH2 identity provider"
FIELD_MAPPING_REQUIRED: Final = f"{CONFIG_FIELD}.field_mapping is required"
_URL_SCHEMES: Final = frozenset({"http", "https"})


def checked_title(title: str) -> str:
    _check_length("title", title, MAX_TITLE_LENGTH)
    return title


def checked_identifier_filter(pattern: str) -> str:
    """A filter sign-in can run: the one compile rule of ``memos.domain.identifier_filters``.

    Memos compiles it only at sign-in, so a bad filter fails every sign-in; here it is refused
    when an ADMIN saves it.
    """
    _check_length("identifier_filter", pattern, MAX_IDENTIFIER_FILTER_LENGTH)
    try:
        compile_identifier_filter(pattern)
    except InvalidIdentifierFilter as error:
        raise InvalidArgumentError(
            f"identifier_filter is not a valid regular expression: {error}"
        ) from None
    return pattern


def checked_oauth2(config: pb.IdentityProviderConfig) -> OAuth2Config:
    """The OAuth2 configuration of a request (``config`` of an OAUTH2 provider), checked."""
    if not config.HasField("oauth2_config"):
        raise InvalidArgumentError(CONFIG_REQUIRED)
    message = config.oauth2_config
    if not message.HasField("field_mapping"):
        raise InvalidArgumentError(FIELD_MAPPING_REQUIRED)
    oauth2 = oauth2_from_proto(message)
    _check_length(f"{CONFIG_FIELD}.client_id", oauth2.client_id, MAX_CLIENT_VALUE_LENGTH)
    _check_length(f"{CONFIG_FIELD}.client_secret", oauth2.client_secret, MAX_CLIENT_VALUE_LENGTH)
    _check_url(f"{CONFIG_FIELD}.auth_url", oauth2.auth_url)
    _check_url(f"{CONFIG_FIELD}.token_url", oauth2.token_url)
    _check_url(f"{CONFIG_FIELD}.user_info_url", oauth2.user_info_url)
    if len(oauth2.scopes) > MAX_SCOPES:
        raise InvalidArgumentError(f"{CONFIG_FIELD}.scopes: too many scopes (max {MAX_SCOPES})")
    for scope in oauth2.scopes:
        _check_length(f"{CONFIG_FIELD}.scopes", scope, MAX_SCOPE_LENGTH)
    mapping = oauth2.field_mapping
    for name, claim in (
        ("identifier", mapping.identifier),
        ("display_name", mapping.display_name),
        ("email", mapping.email),
        ("avatar_url", mapping.avatar_url),
    ):
        _check_length(f"{CONFIG_FIELD}.field_mapping.{name}", claim, MAX_CLAIM_NAME_LENGTH)
    return oauth2


def _check_length(field: str, value: str, limit: int) -> None:
    if len(value) > limit:
        raise InvalidArgumentError(f"{field} is too long (max {limit} characters)")


def _check_url(field: str, url: str) -> None:
    """Empty, or an absolute http(s) URL with a host and no spaces or control characters."""
    if not url:
        return
    _check_length(field, url, MAX_URL_LENGTH)
    invalid = InvalidArgumentError(f"{field} must be an http or https URL")
    if any(ord(char) <= 0x20 or ord(char) == 0x7F for char in url):
        raise invalid
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - reading it validates the port
    except ValueError as error:
        raise invalid from error
    if parts.scheme.lower() not in _URL_SCHEMES or not host:
        raise invalid
