"""UserService: users, their settings, access tokens, webhooks, notifications and stats."""

from __future__ import annotations

from memos.api.v1 import user_service_connect


class UserService(user_service_connect.UserService):
    """Serves memos.api.v1.UserService.

    Methods not defined here answer UNIMPLEMENTED, naming the method, until the identity work
    fills them in.
    """
