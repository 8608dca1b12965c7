"""The API Gateway routes, planned from the descriptors and the public-method table.

Pure: no CDK import, so tests and the topology check can read the plan directly. Every route
names the function (service table key) it goes to and whether it carries the authorizer.

- **Connect**: ``POST /memos.api.v1.<Service>/<Method>`` for every method of every service;
  the authorizer exactly when the method is not public.
- **REST**: one route per distinct API Gateway route key of the ``google.api.http`` rules
  (:func:`memos.rpc.http_rules.api_gateway_path`). API Gateway can't express a custom verb
  after a path variable, so ``/api/v1/{name=users/*}:getStats`` shares ``GET
  /api/v1/users/{user}`` with GetUser; the function's own router tells them apart. A path
  segment holding a custom verb after a literal (``users:search``) becomes a parameter
  segment (``{customMethod}``): HTTP API documents literal segments and ``{param}`` segments,
  not a ``:`` inside a literal one, and API Gateway prefers literal routes over parameter ones,
  so ``/api/v1/users`` still wins for ``GET /api/v1/users``.
- **Several methods on one route key** must belong to one service (else the plan is refused:
  one route can have only one integration). The route carries the authorizer only when *all*
  of its methods are protected; when they disagree it carries none and the function's own auth
  interceptor decides per method (it verifies the token itself when no authorizer identity is
  present), so a public method is never locked behind the authorizer.
- **Plain HTTP**: the API documents (served by the instance function) and the ``/file/...``
  routes (avatars by the user function, attachment blobs by the attachment function), without
  the authorizer: their handlers do optional auth themselves (a browser's ``<img>`` sends only
  the refresh cookie, which an authorizer on the Authorization header can't see).
- **REST extensions** beyond Memos' protos (direct-to-S3 attachment uploads): plain routes of
  the attachment function, *with* the authorizer (only signed-in users upload).
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache
from typing import TYPE_CHECKING, Final

from msgspec import Struct

from infra.services import function_for_service
from memos.auth.public_methods import is_public
from memos.rpc.http_rules import all_routes, api_gateway_path, load_service_descriptors

if TYPE_CHECKING:
    from collections.abc import Iterable

    from memos.rpc.http_rules import HttpRoute

CUSTOM_METHOD_PARAMETER: Final = "{customMethod}"

# Plain HTTP routes: (verb, path, function key). The documents' paths are the ones
# memos.rpc.docs serves (a test checks they agree).
DOCUMENT_ROUTES: Final = (
    ("GET", "/api/v1/openapi.json", "instance"),
    ("GET", "/api/docs", "instance"),
    ("GET", "/api/docs/{proxy+}", "instance"),
)
# HEAD gets its own routes: API Gateway doesn't send a HEAD to a GET route, and the file apps
# answer HEAD (headers only, e.g. a client checking size or type before a download).
FILE_ROUTES: Final = tuple(
    (verb, path, function)
    for path, function in (
        ("/file/users/{user}/avatar", "user"),
        ("/file/attachments/{proxy+}", "attachment"),
    )
    for verb in ("GET", "HEAD")
)

# REST extensions (no proto method): (verb, path, function key), behind the authorizer.
EXTENSION_ROUTES: Final = (
    ("POST", "/api/v1/attachment-uploads", "attachment"),
    ("POST", "/api/v1/attachment-uploads/{uploadId}/finalize", "attachment"),
)

_VERB_IN_SEGMENT = re.compile(r"^[^{}]+:[^{}]+$")


class RoutePlanError(ValueError):
    """Two services would need the same API Gateway route."""


class GatewayRoute(Struct, frozen=True):
    """One API Gateway route: its key, its target function and whether it is authorized."""

    verb: str
    path: str
    function: str  # key of infra.services.FunctionSpec
    authorized: bool
    procedures: tuple[str, ...]  # the RPCs it serves ("" for plain HTTP routes)
    kind: str  # "connect", "rest", "http" or "extension"

    @property
    def key(self) -> str:
        return f"{self.verb} {self.path}"


def gateway_rest_path(route: HttpRoute) -> str:
    """The API Gateway path of a REST route (see the module docstring)."""
    segments = api_gateway_path(route).split("/")
    return "/".join(
        CUSTOM_METHOD_PARAMETER if _VERB_IN_SEGMENT.match(segment) else segment
        for segment in segments
    )


def connect_routes() -> tuple[GatewayRoute, ...]:
    routes: list[GatewayRoute] = []
    for service in load_service_descriptors():
        function = function_for_service(service.full_name).key
        for method in service.methods:
            procedure = f"/{service.full_name}/{method.name}"
            routes.append(
                GatewayRoute(
                    verb="POST",
                    path=procedure,
                    function=function,
                    authorized=not is_public(procedure),
                    procedures=(procedure,),
                    kind="connect",
                )
            )
    return tuple(routes)


def rest_routes(http_routes: Iterable[HttpRoute]) -> tuple[GatewayRoute, ...]:
    """One gateway route per distinct (verb, path) of the given REST routes."""
    grouped: dict[tuple[str, str], list[HttpRoute]] = defaultdict(list)
    for route in http_routes:
        grouped[(route.verb, gateway_rest_path(route))].append(route)
    planned: list[GatewayRoute] = []
    for (verb, path), members in grouped.items():
        services = sorted({member.service for member in members})
        if len(services) > 1:
            raise RoutePlanError(
                f"{verb} {path} would serve {', '.join(services)}: "
                "one API Gateway route has one integration"
            )
        procedures = tuple(dict.fromkeys(member.procedure for member in members))
        planned.append(
            GatewayRoute(
                verb=verb,
                path=path,
                function=function_for_service(services[0]).key,
                authorized=all(not is_public(procedure) for procedure in procedures),
                procedures=procedures,
                kind="rest",
            )
        )
    return tuple(planned)


def http_routes() -> tuple[GatewayRoute, ...]:
    return tuple(
        GatewayRoute(verb, path, function, authorized=False, procedures=(), kind="http")
        for verb, path, function in (*DOCUMENT_ROUTES, *FILE_ROUTES)
    )


def extension_routes() -> tuple[GatewayRoute, ...]:
    return tuple(
        GatewayRoute(verb, path, function, authorized=True, procedures=(), kind="extension")
        for verb, path, function in EXTENSION_ROUTES
    )


@cache
def planned_routes() -> tuple[GatewayRoute, ...]:
    """Every route of the HTTP API: Connect, REST, plain HTTP, then the REST extensions."""
    routes = (
        *connect_routes(),
        *rest_routes(all_routes()),
        *http_routes(),
        *extension_routes(),
    )
    keys = [route.key for route in routes]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise RoutePlanError(f"route keys planned twice: {', '.join(duplicates)}")
    return routes
