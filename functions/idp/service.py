"""IdentityProviderService: SSO identity providers."""

from __future__ import annotations

from memos.api.v1 import idp_service_connect


class IdentityProviderService(idp_service_connect.IdentityProviderService):
    """Serves memos.api.v1.IdentityProviderService.

    Methods not defined here answer UNIMPLEMENTED, naming the method, until the identity-provider
    work fills them in.
    """
