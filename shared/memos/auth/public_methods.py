"""The one list of methods callable without credentials.

Everything else requires a valid token. Drives the Connect/REST auth interceptor and, in the
infrastructure, which API Gateway routes carry the authorizer. Public methods still identify a
caller who presents a valid token ("optional auth").
"""

from __future__ import annotations

_PACKAGE = "memos.api.v1"

PUBLIC_METHODS: dict[str, frozenset[str]] = {
    "AuthService": frozenset({"SignIn", "RefreshToken"}),
    "InstanceService": frozenset({"GetInstanceProfile", "GetInstanceSetting"}),
    "UserService": frozenset(
        {
            "CreateUser",
            "GetUser",
            "GetUserAvatar",
            "GetUserStats",
            "ListAllUserStats",
            "SearchUsers",
        }
    ),
    "IdentityProviderService": frozenset({"ListIdentityProviders"}),
    "MemoService": frozenset({"GetMemo", "ListMemos", "ListMemoComments"}),
}

PUBLIC_PROCEDURES: frozenset[str] = frozenset(
    f"/{_PACKAGE}.{service}/{method}"
    for service, methods in PUBLIC_METHODS.items()
    for method in methods
)


def is_public(procedure: str) -> bool:
    """Whether ``/memos.api.v1.<Service>/<Method>`` may be called anonymously.

    Anything not on the list, unknown procedures included, is protected.
    """
    return procedure in PUBLIC_PROCEDURES
