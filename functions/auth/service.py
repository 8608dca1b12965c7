"""AuthService: sign-in, sign-out, token refresh and the current user (spec auth.md §4, §12).

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
from memos.caller import USER_NOT_AUTHENTICATED
from memos.convert import user_to_proto
from memos.errors import InvalidArgumentError, UnauthenticatedError, UnimplementedError
from memos.rpc.call import current_call

if TYPE_CHECKING:
    from connectrpc.request import RequestContext

    from functions.auth.sessions import Tokens
    from memos.config import Settings
    from memos.rpc.call import CallInfo
    from memos.store import Stores

SET_COOKIE = "set-cookie"
SSO_NOT_AVAILABLE = "SSO sign-in is not available yet"


class AuthService(auth_service_connect.AuthService):
    """Serves memos.api.v1.AuthService."""

    def __init__(self, stores: Stores, settings: Settings | None = None) -> None:
        self._users = stores.users
        self._sessions = Sessions(stores)
        self._settings = settings

    async def sign_in(
        self, request: SignInRequest, ctx: RequestContext[Any, Any]
    ) -> SignInResponse:
        credentials = request.WhichOneof("credentials")
        if credentials == "sso_credentials":
            raise UnimplementedError(SSO_NOT_AVAILABLE)
        if credentials != "password_credentials":
            raise InvalidArgumentError("invalid credentials")
        password = request.password_credentials
        user = self._sessions.authenticate_password(password.username, password.password)
        call = current_call()
        client = Client(user_agent=call.user_agent, ip_address=call.client_ip)
        tokens = self._sessions.open(user, client, self._secrets())
        _set_refresh_cookie(ctx, call, tokens)
        response = SignInResponse(user=user_to_proto(user), access_token=tokens.access_token)
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
        user = self._users.get(identity.user_id)
        if user is None:
            raise UnauthenticatedError(
                f"failed to get current user: user {identity.user_id} not found"
            )
        return GetCurrentUserResponse(user=user_to_proto(user))

    def _secrets(self) -> tuple[bytes, ...]:
        return signing_secrets(self._settings)


def _cookie_token(call: CallInfo) -> str | None:
    return refresh_token_from_cookie_header(call.metadata.get("cookie"))


def _set_refresh_cookie(ctx: RequestContext[Any, Any], call: CallInfo, tokens: Tokens) -> None:
    if tokens.refresh_token is None or tokens.refresh_token_expires_at is None:
        return  # a concurrent refresh: the browser keeps the cookie the winner was given
    cookie = refresh_cookie(
        tokens.refresh_token, tokens.refresh_token_expires_at, secure=call.secure
    )
    ctx.response_headers()[SET_COOKIE] = cookie
