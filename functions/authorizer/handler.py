"""API Gateway HTTP API Lambda authorizer (payload format 2.0, simple responses).

Resolves the ``Authorization: Bearer <token>`` header (an access-token JWT or a personal access
token) with the same verifier the service functions use, and passes the caller's identity to the
protected route's function in the response context. Anything else, including a failure of the
verifier itself, is "not authorized": the authorizer never raises. Tokens are never logged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from memos.auth.authorizer_context import identity_to_context
from memos.auth.identity import bearer_token
from memos.auth.verifier import verifier_from_environment

if TYPE_CHECKING:
    from collections.abc import Mapping

    from memos.auth.identity import Identity

DENIED: dict[str, Any] = {"isAuthorized": False}


def handler(event: Mapping[str, Any], context: Any) -> dict[str, Any]:
    identity = _identity(event)
    if identity is None:
        return dict(DENIED)
    return {"isAuthorized": True, "context": identity_to_context(identity)}


def _identity(event: Mapping[str, Any]) -> Identity | None:
    try:
        token = bearer_token(_authorization_header(event))
        if token is None:
            return None
        return verifier_from_environment().verify(token)
    except Exception as exc:  # an authorizer that raises answers 500: deny instead
        from memos.observability import get_logger  # noqa: PLC0415 - only on this rare path

        get_logger().warning("authorizer could not verify a token", extra={"error": _name(exc)})
        return None


def _authorization_header(event: Mapping[str, Any]) -> str | None:
    headers = event.get("headers") or {}
    if not isinstance(headers, dict):
        return None
    value = next(
        (value for name, value in headers.items() if str(name).lower() == "authorization"), None
    )
    return value if isinstance(value, str) else None


def _name(exc: Exception) -> str:
    return type(exc).__name__
