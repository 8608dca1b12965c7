"""The interceptor chain every call passes through, on Connect and on REST alike.

Order, outermost first: metadata -> logging -> recovery -> auth -> service method.
"""

from __future__ import annotations

import time
import uuid
from typing import TYPE_CHECKING, Any, TypeVar

from connectrpc.code import Code
from connectrpc.errors import ConnectError

from memos.auth.client_info import client_ip
from memos.auth.identity import bearer_token
from memos.auth.public_methods import is_public
from memos.errors import (
    DEPENDENCY_UNAVAILABLE_MESSAGE,
    ERROR_TABLE,
    GENERIC_INTERNAL_MESSAGE,
    ErrorKind,
    MemosError,
    UnauthenticatedError,
    retry_after_headers,
)
from memos.observability import get_logger, log_call
from memos.rpc.call import METADATA_HEADERS, CallInfo, call_scope, current_call, current_request
from memos.rpc.transport import current_transport
from memos.store.budget import request_budget
from memos.store.faults import dependency_fault

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Mapping, Sequence

    from connectrpc.interceptor import Interceptor
    from connectrpc.request import RequestContext

    from memos.auth.identity import TokenVerifier

REQ = TypeVar("REQ")
RES = TypeVar("RES")

AUTHENTICATION_REQUIRED = "authentication required"

# Codes that describe a client's mistake: logged at INFO, everything else at ERROR.
_CLIENT_CODES = frozenset(
    {
        Code.CANCELED,
        Code.INVALID_ARGUMENT,
        Code.NOT_FOUND,
        Code.ALREADY_EXISTS,
        Code.PERMISSION_DENIED,
        Code.UNAUTHENTICATED,
        Code.RESOURCE_EXHAUSTED,
        Code.FAILED_PRECONDITION,
        Code.ABORTED,
        Code.OUT_OF_RANGE,
        Code.UNIMPLEMENTED,
    }
)

_NO_CACHE_HEADERS = (
    ("cache-control", "no-cache, no-store, must-revalidate"),
    ("pragma", "no-cache"),
    ("expires", "0"),
)


def _header_values(ctx: RequestContext[Any, Any]) -> Mapping[str, str]:
    """The request's headers by lower-case name, first value of each, as a plain mapping
    (lookups on connect-python's case-insensitive container cost a method call each)."""
    headers = ctx.request_headers()
    plain: Mapping[str, str] | None = getattr(headers.items(), "mapping", None)
    return headers if plain is None else plain


def procedure_of(ctx: RequestContext[Any, Any]) -> str:
    method = ctx.method()
    return f"/{method.service_name}/{method.name}"


class MetadataInterceptor:
    """Opens the call: copies the allowed headers into call metadata, marks success responses
    as not cacheable."""

    async def intercept_unary(
        self,
        call_next: Callable[[REQ, RequestContext[REQ, RES]], Awaitable[RES]],
        request: REQ,
        ctx: RequestContext[REQ, RES],
    ) -> RES:
        headers = _header_values(ctx)
        metadata = {name: headers[name] for name in METADATA_HEADERS if name in headers}
        facts = current_request()
        peer = facts.peer_ip if facts else (ctx.client_address() or "").rsplit(":", 1)[0]
        info = CallInfo(
            procedure=procedure_of(ctx),
            transport=current_transport.get(),
            request_id=facts.request_id if facts else uuid.uuid4().hex,
            client_ip=client_ip(
                x_forwarded_for=metadata.get("x-forwarded-for"),
                x_real_ip=metadata.get("x-real-ip"),
            )
            or peer,
            user_agent=metadata.get("user-agent", ""),
            secure=facts.secure if facts else False,
            metadata=metadata,
        )
        with call_scope(info):
            response = await call_next(request, ctx)
        response_headers = ctx.response_headers()
        for name, value in _NO_CACHE_HEADERS:
            response_headers[name] = value
        return response


class LoggingInterceptor:
    """One structured line per call: procedure, code, latency, request id. Never bodies,
    headers, tokens or cookies."""

    async def intercept_unary(
        self,
        call_next: Callable[[REQ, RequestContext[REQ, RES]], Awaitable[RES]],
        request: REQ,
        ctx: RequestContext[REQ, RES],
    ) -> RES:
        started = time.perf_counter()
        code: Code | None = None
        try:
            return await call_next(request, ctx)
        except ConnectError as exc:
            code = exc.code
            raise
        finally:
            info = current_call()
            fields = {
                "procedure": info.procedure,
                "transport": info.transport,
                "code": code.value if code else "ok",
                "latency_ms": round((time.perf_counter() - started) * 1000, 3),
                "request_id": info.request_id,
            }
            log_call(fields, error=code is not None and code not in _CLIENT_CODES)


class RecoveryInterceptor:
    """Turns domain errors into Connect errors through the one error table, faults of AWS
    (throttling, 5xx, unreachable or timed out after the client's retries, the request's time
    budget spent) into UNAVAILABLE, and anything else unexpected into INTERNAL with a generic
    message (details go to the log only). Opens the request's AWS time budget."""

    async def intercept_unary(
        self,
        call_next: Callable[[REQ, RequestContext[REQ, RES]], Awaitable[RES]],
        request: REQ,
        ctx: RequestContext[REQ, RES],
    ) -> RES:
        with request_budget():  # still open while a fault is told apart from a bug
            try:
                return await call_next(request, ctx)
            except ConnectError:
                raise
            except MemosError as exc:
                _add_retry_after(ctx, exc.kind)
                raise ConnectError(ERROR_TABLE[exc.kind].connect_code, exc.message) from None
            except Exception as exc:
                raise _unexpected(exc, ctx) from None


def _unexpected(exc: Exception, ctx: RequestContext[Any, Any]) -> ConnectError:
    """UNAVAILABLE for a fault of AWS (logged with its dependency and operation), else
    INTERNAL (logged with its traceback)."""
    fault = dependency_fault(exc)
    if fault is None:
        get_logger().exception("unhandled error", extra={"procedure": procedure_of(ctx)})
        return ConnectError(Code.INTERNAL, GENERIC_INTERNAL_MESSAGE)
    get_logger().warning(
        "dependency unavailable", extra={"procedure": procedure_of(ctx), **fault.log_fields()}
    )
    _add_retry_after(ctx, ErrorKind.UNAVAILABLE)
    return ConnectError(Code.UNAVAILABLE, DEPENDENCY_UNAVAILABLE_MESSAGE)


def _add_retry_after(ctx: RequestContext[Any, Any], kind: ErrorKind) -> None:
    for name, value in retry_after_headers(kind):
        ctx.response_headers()[name] = value


class AuthInterceptor:
    """Resolves the caller: the identity API Gateway's authorizer passed along when there is
    one, else the bearer token verified here (local server, public routes, direct invocation).
    Protected methods without a valid identity are rejected before the service runs. Public
    methods run anonymously when the token is missing or invalid, and still identify a caller
    whose token is valid."""

    def __init__(self, verifier: TokenVerifier) -> None:
        self._verifier = verifier

    async def intercept_unary(
        self,
        call_next: Callable[[REQ, RequestContext[REQ, RES]], Awaitable[RES]],
        request: REQ,
        ctx: RequestContext[REQ, RES],
    ) -> RES:
        info = current_call()
        facts = current_request()
        if facts is not None and facts.authorized is not None:
            info.identity = facts.authorized
        else:
            token = bearer_token(_header_values(ctx).get("authorization"))
            info.identity = self._verifier.verify(token) if token else None
        if info.identity is None and not is_public(info.procedure):
            raise UnauthenticatedError(AUTHENTICATION_REQUIRED)
        return await call_next(request, ctx)


def default_interceptors(verifier: TokenVerifier) -> Sequence[Interceptor]:
    """The chain in its one order."""
    return (
        MetadataInterceptor(),
        LoggingInterceptor(),
        RecoveryInterceptor(),
        AuthInterceptor(verifier),
    )
