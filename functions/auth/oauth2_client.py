"""The two OAuth2 requests of an SSO sign-in: the code exchange and the user info (idp.md §6).

The wire follows Memos (golang.org/x/oauth2): the token request is a form POST carrying the
client credentials in the body and ``code_verifier`` only when there is one; the answer is read
as a form when the provider says ``application/x-www-form-urlencoded`` or ``text/plain``, as JSON
otherwise, and fails on a non-2xx status, a non-empty ``error`` or an empty ``access_token``. The
user info is a GET with the token as a bearer credential, a JSON object whose top-level string
values the field mapping picks.

Where Memos answers INTERNAL, these answer what a client can act on (docs/decisions.md, "SSO
sign-in"): a refused code is INVALID_ARGUMENT, an unreachable or failing provider UNAVAILABLE,
and a provider that can't work as configured FAILED_PRECONDITION. No message carries the client
secret, the access token or what the provider sent, except the standard OAuth2 error code.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import parse_qs, urlencode

from msgspec import Struct

from memos.errors import (
    FailedPreconditionError,
    InvalidArgumentError,
    MemosError,
    UnavailableError,
)
from memos.net.outbound_http import OutboundError, ProviderUnreachable

if TYPE_CHECKING:
    from collections.abc import Callable

    from memos.net.outbound_http import HttpAnswer, ProviderHttp
    from memos.store.identity_providers import FieldMapping, OAuth2Config

EXCHANGE_FAILED: Final = "failed to exchange token"
USER_INFO_FAILED: Final = "failed to get user info"
MISSING_ACCESS_TOKEN: Final = "oauth2: server response missing access_token"  # noqa: S105
# RFC 6749 §5.2: the code (or its PKCE verifier, or the redirect URI sent with it) was refused.
_CODE_REFUSED: Final = frozenset({"invalid_grant", "invalid_request"})
# RFC 6749 §5.2: the provider refuses this client as configured.
_CLIENT_REFUSED: Final = frozenset(
    {"invalid_client", "unauthorized_client", "unsupported_grant_type", "invalid_scope"}
)
_ERROR_CODE: Final = re.compile(r"[A-Za-z0-9_.\-]{1,64}")
# What an access token may hold to be sent in a header (RFC 6750 b64token, and then some).
_HEADER_SAFE: Final = re.compile(r"[\x21-\x7e]{1,8192}")
_FORM_TYPES: Final = frozenset({"application/x-www-form-urlencoded", "text/plain"})


class CodeGrant(Struct, frozen=True):
    """What the browser brought back from the provider, as SignIn's ``sso_credentials``."""

    code: str
    redirect_uri: str
    code_verifier: str = ""


class UserInfo(Struct, frozen=True):
    identifier: str
    display_name: str
    email: str
    avatar_url: str


def exchange_code(http: ProviderHttp, config: OAuth2Config, grant: CodeGrant) -> str:
    """The access token the provider gives for ``grant``."""
    form: dict[str, str] = {
        "client_id": config.client_id,
        "client_secret": config.client_secret,
        "code": grant.code,
        "grant_type": "authorization_code",
    }
    if grant.redirect_uri:
        form["redirect_uri"] = grant.redirect_uri
    if grant.code_verifier:
        form["code_verifier"] = grant.code_verifier
    body = urlencode(sorted(form.items())).encode()  # sorted by key, as Go encodes a form
    answer = _sent(
        EXCHANGE_FAILED,
        lambda: http.post_form(config.token_url, body, {"Accept": "application/json"}),
    )
    _refuse_redirect(EXCHANGE_FAILED, answer)
    fields = _token_fields(answer)
    error_code = fields.get("error") if fields is not None else None
    if error_code or not 200 <= answer.status < 300:
        raise _refusal(answer.status, error_code if isinstance(error_code, str) else "")
    if fields is None:
        raise FailedPreconditionError(
            f"{EXCHANGE_FAILED}: the identity provider's token response is not a JSON object "
            "or a form"
        )
    access_token = fields.get("access_token")
    if not isinstance(access_token, str) or not access_token:
        raise FailedPreconditionError(f"{EXCHANGE_FAILED}: {MISSING_ACCESS_TOKEN}")
    if not _HEADER_SAFE.fullmatch(access_token):
        raise FailedPreconditionError(
            f"{EXCHANGE_FAILED}: the identity provider's access_token can't be sent back to it"
        )
    return access_token


def fetch_user_info(http: ProviderHttp, config: OAuth2Config, access_token: str) -> UserInfo:
    """The signed-in person as the field mapping reads the provider's user info."""
    headers = {
        "Authorization": f"Bearer {access_token}",
        "Content-Type": "application/json",
        "Accept": "application/json",
    }
    answer = _sent(USER_INFO_FAILED, lambda: http.get(config.user_info_url, headers))
    _refuse_redirect(USER_INFO_FAILED, answer)
    if answer.status >= 500 or answer.status == 429:
        raise UnavailableError(
            f"{USER_INFO_FAILED}: the identity provider failed (HTTP {answer.status})"
        )
    if not 200 <= answer.status < 300:
        raise FailedPreconditionError(
            f"{USER_INFO_FAILED}: the identity provider refused the request (HTTP {answer.status})"
        )
    claims = _json_object(answer.body)
    if claims is None:
        raise FailedPreconditionError(
            f"{USER_INFO_FAILED}: the identity provider's answer is not a JSON object"
        )
    return map_claims(claims, config.field_mapping)


def map_claims(claims: dict[str, Any], mapping: FieldMapping) -> UserInfo:
    """Top-level string values only, as in Memos: a numeric identifier is "not found"."""
    identifier = _string(claims, mapping.identifier)
    if not identifier:
        key = mapping.identifier[:100]
        raise FailedPreconditionError(
            f'{USER_INFO_FAILED}: the field "{key}" is not found in claims or has empty value'
        )
    return UserInfo(
        identifier=identifier,
        display_name=_string(claims, mapping.display_name) or identifier,
        email=_string(claims, mapping.email),
        avatar_url=_string(claims, mapping.avatar_url),
    )


def _sent(context: str, request: Callable[[], HttpAnswer]) -> HttpAnswer:
    try:
        return request()
    except ProviderUnreachable as error:
        raise UnavailableError(
            f"{context}: the identity provider is unreachable: {error}"
        ) from None
    except OutboundError as error:  # refused destination, oversized answer
        raise FailedPreconditionError(f"{context}: {error}") from None


def _refuse_redirect(context: str, answer: HttpAnswer) -> None:
    if 300 <= answer.status < 400:
        raise FailedPreconditionError(
            f"{context}: the identity provider answered with a redirect "
            f"(HTTP {answer.status}), which is not followed"
        )


def _token_fields(answer: HttpAnswer) -> dict[str, Any] | None:
    media_type = answer.content_type.split(";", 1)[0].strip().lower()
    if media_type in _FORM_TYPES:
        try:
            values = parse_qs(answer.body.decode(), keep_blank_values=True)
        except (UnicodeDecodeError, ValueError):
            return None
        return {key: found[0] for key, found in values.items()}
    return _json_object(answer.body)


def _json_object(body: bytes) -> dict[str, Any] | None:
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):  # ValueError covers bad UTF-8 and huge integers
        return None
    return value if isinstance(value, dict) else None


def _refusal(status: int, error_code: str) -> MemosError:
    code = error_code if _ERROR_CODE.fullmatch(error_code) else ""
    named = f", {code}" if code else ""
    if code in _CODE_REFUSED:
        return InvalidArgumentError(
            f"{EXCHANGE_FAILED}: the identity provider refused the authorization code "
            f"(HTTP {status}{named})"
        )
    if code in _CLIENT_REFUSED:
        return FailedPreconditionError(
            f"{EXCHANGE_FAILED}: the identity provider refused this client; check its client id "
            f"and secret (HTTP {status}{named})"
        )
    if status >= 500 or status == 429:
        return UnavailableError(
            f"{EXCHANGE_FAILED}: the identity provider failed (HTTP {status}{named})"
        )
    return InvalidArgumentError(
        f"{EXCHANGE_FAILED}: the identity provider refused the token request (HTTP {status}{named})"
    )


def _string(claims: dict[str, Any], key: str) -> str:
    if not key:
        return ""
    value = claims.get(key)
    return value if isinstance(value, str) else ""
