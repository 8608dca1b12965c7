"""AuthService: sign-in, sign-out, token refresh and the current user."""

from __future__ import annotations

from memos.api.v1 import auth_service_connect


class AuthService(auth_service_connect.AuthService):
    """Serves memos.api.v1.AuthService.

    Methods not defined here answer UNIMPLEMENTED, naming the method, until the identity work
    fills them in.
    """
