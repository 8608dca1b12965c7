"""The identity the API Gateway authorizer hands to service functions, and back.

The authorizer writes :func:`identity_to_context` into its simple response's ``context``; API
Gateway passes it to the function as ``requestContext.authorizer.lambda``, which only API Gateway
can set (a client cannot forge it). Functions read it with :func:`identity_from_event`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast, get_args

from memos.auth.identity import CredentialKind, Identity

if TYPE_CHECKING:
    from collections.abc import Mapping

_CREDENTIALS = frozenset(get_args(CredentialKind))


def identity_to_context(identity: Identity) -> dict[str, str | int]:
    return {
        "userId": identity.user_id,
        "username": identity.username,
        "role": identity.role,
        "credential": identity.credential,
    }


def identity_from_context(context: Mapping[str, Any]) -> Identity | None:
    """The identity in an authorizer context, or ``None`` when it is absent or malformed."""
    try:
        user_id = int(context["userId"])
        username = str(context["username"])
        role = str(context["role"])
        credential = str(context["credential"])
    except (KeyError, TypeError, ValueError):
        return None
    if user_id <= 0 or credential not in _CREDENTIALS:
        return None
    return Identity(
        user_id=user_id,
        username=username,
        role=role,
        credential=cast("CredentialKind", credential),
    )


def identity_from_event(event: Mapping[str, Any] | None) -> Identity | None:
    """The authorizer's identity in an API Gateway HTTP API (payload 2.0) event, if any."""
    if not event:
        return None
    authorizer = (event.get("requestContext") or {}).get("authorizer") or {}
    context = authorizer.get("lambda")
    return identity_from_context(context) if isinstance(context, dict) else None
