"""What the service layer may know about the current call, kept in context variables.

The app factory records the facts only the HTTP layer sees (:class:`RequestFacts`); the metadata
interceptor opens a :class:`CallInfo` for every call on both transports; the auth interceptor
records the identity; services read it through :func:`current_call`.
"""

from __future__ import annotations

from contextvars import ContextVar, Token
from typing import TYPE_CHECKING, Any

from msgspec import Struct, field

if TYPE_CHECKING:
    from memos.auth.identity import Identity

# Request headers copied into call metadata; everything else stays out of the service layer.
METADATA_HEADERS = ("user-agent", "x-forwarded-for", "x-real-ip", "cookie", "origin")


class RequestFacts(Struct, frozen=True):
    """Facts about the HTTP request that headers alone don't carry."""

    request_id: str
    secure: bool
    peer_ip: str
    # Set only when API Gateway's authorizer already authenticated the caller.
    authorized: Identity | None = None


CALLER_UNREAD: Any = object()


class CallInfo(Struct):
    procedure: str
    transport: str
    request_id: str
    client_ip: str
    user_agent: str
    secure: bool = False
    metadata: dict[str, str] = field(default_factory=dict)
    identity: Identity | None = None
    # The caller's user row once read this call (``memos.caller.current_user``); ``CALLER_UNREAD``
    # until then. Reads of the caller after the first are free.
    caller: Any = CALLER_UNREAD


_request: ContextVar[RequestFacts | None] = ContextVar("memos_request", default=None)
_call: ContextVar[CallInfo | None] = ContextVar("memos_call", default=None)


class _Scope:
    """Sets a context variable for the duration of a ``with`` block (cheaper than a
    generator-based context manager on the per-call path)."""

    __slots__ = ("_token", "_value", "_var")

    def __init__(self, var: ContextVar[Any], value: object) -> None:
        self._var = var
        self._value = value
        self._token: Token[Any] | None = None

    def __enter__(self) -> None:
        self._token = self._var.set(self._value)

    def __exit__(self, *exc_info: object) -> None:
        assert self._token is not None
        self._var.reset(self._token)


def request_scope(facts: RequestFacts) -> _Scope:
    return _Scope(_request, facts)


def current_request() -> RequestFacts | None:
    return _request.get()


def call_scope(info: CallInfo) -> _Scope:
    return _Scope(_call, info)


def current_call() -> CallInfo:
    """The call being served; raises when used outside a call (a programming error)."""
    info = _call.get()
    if info is None:
        raise RuntimeError("current_call() used outside an RPC call")
    return info


def current_identity() -> Identity | None:
    info = _call.get()
    return info.identity if info else None


def current_call_or_none() -> CallInfo | None:
    """The call being served, or None outside one (direct service calls in tests, tools)."""
    return _call.get()
