"""AuthService: sign-in, sign-out, token refresh and the current user (spec auth.md §4, §12).

SignIn takes password credentials or SSO credentials (``functions.auth.sso``, spec idp.md §5);
either way the user gets the same access token and refresh cookie.

The refresh token travels only in the ``memos_refresh`` cookie, read from the call's metadata on
Connect and REST alike (Memos' REST path drops it) and set through the response headers, which
both transports copy to the HTTP response. The cookie is ``Secure`` whenever the request came
over HTTPS.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from google.protobuf.empty_pb2 import Empty

from functions.auth.sessions import Client, Sessions
from memos.api.v1 import auth_service_connect
from memos.api.v1.auth_service_pb2 import (
    GetCurrentUserRequest,
    GetCurrentUserResponse,
    RefreshTokenRequest,
    RefreshTokenResponse,
    SignInRequest,
    SignInResponse,
    SignOutRequest,
)
from memos.auth.cookies import (
    clearing_refresh_cookie,
    refresh_cookie,
    refresh_token_from_cookie_header,
)
from memos.auth.signing_secret import signing_secrets
from memos.caller import USER_NOT_AUTHENTICATED, current_user
from memos.config import get_settings
from memos.convert import user_to_proto
from memos.errors import InvalidArgumentError, UnauthenticatedError
from memos.rpc.call import current_call, current_request
from memos.store.clock import epoch_seconds

if TYPE_CHECKING:
    from connectrpc.request import RequestContext

    from functions.auth.sessions import Tokens
    from functions.auth.sso import SsoSignIn
    from memos.config import Settings
    from memos.net.outbound_http import OutboundPolicy
    from memos.rpc.call import CallInfo
    from memos.store import Stores
    from memos.store.clock import Clock
    from memos.store.users import User

SET_COOKIE = "set-cookie"
RETRY_AFTER = "retry-after"


class AuthService(auth_service_connect.AuthService):
    """Serves memos.api.v1.AuthService."""

    def __init__(
        self,
        stores: Stores,
        settings: Settings | None = None,
        *,
        identity_provider_policy: OutboundPolicy | None = None,
        clock: Clock = epoch_seconds,
    ) -> None:
        """``identity_provider_policy``: limits of the requests to identity providers (tests
        shorten them); by default the production limits, loopback allowed per ``settings``.
        ``clock``: the time the sign-in throttle counts with (tests move it)."""
        self._stores = stores
        self._users = stores.users
        self._sessions = Sessions(stores, clock)
        self._settings = settings
        self._identity_provider_policy = identity_provider_policy
        self._sso_sign_in: SsoSignIn | None = None

    async def sign_in(
        self, request: SignInRequest, ctx: RequestContext[Any, Any]
    ) -> SignInResponse:
        credentials = request.WhichOneof("credentials")
        user: User
        if credentials == "password_credentials":
            user = self._password_user(request.password_credentials, ctx)
        elif credentials == "sso_credentials":
            user = await self._sso_user(request.sso_credentials)
        else:
            raise InvalidArgumentError("invalid credentials")
        call = current_call()
        client = Client(user_agent=call.user_agent, ip_address=call.client_ip)
        tokens = self._sessions.open(user, client, self._secrets())
        _set_refresh_cookie(ctx, call, tokens)
        response = SignInResponse(
            user=user_to_proto(user, viewer=user), access_token=tokens.access_token
        )
        response.access_token_expires_at.FromDatetime(tokens.access_token_expires_at)
        return response

    async def refresh_token(
        self, request: RefreshTokenRequest, ctx: RequestContext[Any, Any]
    ) -> RefreshTokenResponse:
        call = current_call()
        tokens = self._sessions.refresh(_cookie_token(call), self._secrets())
        _set_refresh_cookie(ctx, call, tokens)
        response = RefreshTokenResponse(access_token=tokens.access_token)
        response.expires_at.FromDatetime(tokens.access_token_expires_at)
        return response

    async def sign_out(self, request: SignOutRequest, ctx: RequestContext[Any, Any]) -> Empty:
        call = current_call()
        if call.identity is not None:
            self._sessions.revoke(call.identity.user_id, _cookie_token(call), self._secrets())
        ctx.response_headers()[SET_COOKIE] = clearing_refresh_cookie(secure=call.secure)
        return Empty()

    async def get_current_user(
        self, request: GetCurrentUserRequest, ctx: RequestContext[Any, Any]
    ) -> GetCurrentUserResponse:
        identity = current_call().identity
        if identity is None:
            raise UnauthenticatedError(USER_NOT_AUTHENTICATED)
        user = current_user(self._users)
        if user is None:
            raise UnauthenticatedError(
                f"failed to get current user: user {identity.user_id} not found"
            )
        return GetCurrentUserResponse(user=user_to_proto(user))

    def _password_user(
        self, credentials: SignInRequest.PasswordCredentials, ctx: RequestContext[Any, Any]
    ) -> User:
        from functions.auth.sign_in_throttle import SignInThrottledError  # noqa: PLC0415

        try:
            return self._sessions.authenticate_password(
                credentials.username, credentials.password, _client_address()
            )
        except SignInThrottledError as error:
            ctx.response_headers()[RETRY_AFTER] = str(error.retry_after)
            raise

    def _secrets(self) -> tuple[bytes, ...]:
        return signing_secrets(self._settings)

    async def _sso_user(self, credentials: SignInRequest.SSOCredentials) -> User:
        # Imported on the first SSO sign-in: password sign-ins never load the OAuth2 client.
        from functions.auth.sso import SsoCredentials  # noqa: PLC0415

        sign_in = self._sso_sign_in or self._new_sso_sign_in()
        return await sign_in.authenticate(
            SsoCredentials(
                idp_id=credentials.idp_id,
                code=credentials.code,
                redirect_uri=credentials.redirect_uri,
                code_verifier=credentials.code_verifier,
            )
        )

    def _new_sso_sign_in(self) -> SsoSignIn:
        from functions.auth.sso import SsoSignIn  # noqa: PLC0415
        from memos.net.outbound_http import OutboundPolicy  # noqa: PLC0415

        policy = self._identity_provider_policy or OutboundPolicy(
            allow_loopback=(self._settings or get_settings()).allow_loopback_identity_providers
        )
        self._sso_sign_in = SsoSignIn(self._stores, policy)
        return self._sso_sign_in


def _client_address() -> str:
    """Where a sign-in comes from, for its throttle: the connection's source as the gateway (or
    the local server) saw it; ``X-Forwarded-For`` only when that is unknown, as its first entry
    is whatever the client wrote."""
    facts = current_request()
    return (facts.peer_ip if facts else "") or current_call().client_ip


def _cookie_token(call: CallInfo) -> str | None:
    return refresh_token_from_cookie_header(call.metadata.get("cookie"))


def _set_refresh_cookie(ctx: RequestContext[Any, Any], call: CallInfo, tokens: Tokens) -> None:
    if tokens.refresh_token is None or tokens.refresh_token_expires_at is None:
        return  # a concurrent refresh: the browser keeps the cookie the winner was given
    cookie = refresh_cookie(
        tokens.refresh_token, tokens.refresh_token_expires_at, secure=call.secure
    )
    ctx.response_headers()[SET_COOKIE] = cookie
