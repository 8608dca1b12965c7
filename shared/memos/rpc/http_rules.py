"""The REST route table, derived from the ``google.api.http`` options of the compiled services.

This module is pure: it imports only protobuf, the ``google.api`` annotations and the generated
``*_pb2`` modules (lazily, in :func:`all_routes`), so infrastructure code can read the route table
without pulling in connectrpc.

Path templates follow ``google/api/http.proto``::

    Template = "/" Segments [ ":" Verb ]
    Segment  = "*" | "**" | LITERAL | Variable
    Variable = "{" FieldPath [ "=" Segments ] "}"

``{field}`` is short for ``{field=*}``. A variable's value is the matched text including the
literal parts of its pattern: ``{name=users/*/settings/*}`` on ``/users/1/settings/GENERAL`` gives
``name = "users/1/settings/GENERAL"``.

Precedence: among the routes of one HTTP verb that match a path, the most specific wins. A route
with a custom verb beats one without; then segments are compared left to right, a literal beating
``*`` beating ``**``. Two routes with the same verb and shape are rejected when the router is built,
so the outcome never depends on declaration order.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from functools import cache
from typing import TYPE_CHECKING
from urllib.parse import unquote

from google.api import annotations_pb2, http_pb2
from google.protobuf import descriptor_pool
from msgspec import Struct

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from google.protobuf.descriptor import MethodDescriptor, ServiceDescriptor

API_PACKAGE = "memos.api.v1"

SERVICE_NAMES: tuple[str, ...] = (
    "memos.api.v1.AuthService",
    "memos.api.v1.UserService",
    "memos.api.v1.MemoService",
    "memos.api.v1.AttachmentService",
    "memos.api.v1.ShortcutService",
    "memos.api.v1.ActivityService",
    "memos.api.v1.InstanceService",
    "memos.api.v1.IdentityProviderService",
)

_FIELD_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")
_LITERAL = re.compile(r"[^/{}*:=]+")

STAR = "*"
DOUBLE_STAR = "**"

# Segment ranks for precedence: a literal is more specific than "*", which beats "**".
_RANK = {DOUBLE_STAR: 0, STAR: 1}
_LITERAL_RANK = 2


class TemplateError(ValueError):
    """A google.api.http path template that does not follow the grammar."""


class PathVariable(Struct, frozen=True):
    """A ``{field_path=...}`` capture spanning ``segments[start:end]`` of its template."""

    field_path: str
    start: int
    end: int


class PathTemplate(Struct, frozen=True):
    """A parsed path template: flat segments (literal text, ``*`` or ``**``) plus captures."""

    segments: tuple[str, ...]
    variables: tuple[PathVariable, ...]
    verb: str

    @property
    def specificity(self) -> tuple[int, tuple[int, ...]]:
        ranks = tuple(_RANK.get(segment, _LITERAL_RANK) for segment in self.segments)
        return (1 if self.verb else 0, ranks)

    @property
    def shape(self) -> tuple[tuple[str, ...], str]:
        """What two templates share when they match exactly the same paths."""
        return (self.segments, self.verb)

    def match(self, path: str) -> dict[str, str] | None:
        """Match a raw (still percent-encoded) request path; return the variables or None."""
        if not path.startswith("/"):
            return None
        rest = path[1:]
        if self.verb:
            suffix = ":" + self.verb
            if not rest.endswith(suffix):
                return None
            rest = rest[: -len(suffix)]
        decoded = _match_segments(self.segments, rest.split("/"))
        if decoded is None:
            return None
        return _capture(self, decoded)


def _match_segments(pattern: Sequence[str], raw: Sequence[str]) -> list[str] | None:
    """Per pattern segment, the decoded text it matched (a "**" may cover several segments)."""
    matched: list[str] = []
    for index, segment in enumerate(pattern):
        if segment == DOUBLE_STAR:  # only ever last, checked by the parser
            matched.append(unquote("/".join(raw[index:])))
            return matched
        if index >= len(raw):
            return None
        text = unquote(raw[index])
        if segment == STAR:
            if not text or "/" in text:
                return None
        elif text != segment:
            return None
        matched.append(text)
    return matched if len(raw) == len(pattern) else None


def _capture(template: PathTemplate, decoded: Sequence[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for variable in template.variables:
        parts = [part for part in decoded[variable.start : variable.end] if part]
        values[variable.field_path] = "/".join(parts)
    return values


def parse_template(template: str) -> PathTemplate:
    """Parse a google.api.http path template (see the module docstring for the grammar)."""
    if not template.startswith("/"):
        raise TemplateError(f"path template must start with '/': {template!r}")
    body, verb = _split_verb(template[1:], template)
    segments: list[str] = []
    variables: list[PathVariable] = []
    for token in _split_top_level(body, template):
        if token.startswith("{"):
            if not token.endswith("}"):
                raise TemplateError(f"unterminated variable in {template!r}")
            field_path, _, pattern = token[1:-1].partition("=")
            if not _FIELD_PATH.fullmatch(field_path):
                raise TemplateError(f"bad field path {field_path!r} in {template!r}")
            inner = pattern.split("/") if pattern else [STAR]
            start = len(segments)
            segments.extend(_check_segment(part, template) for part in inner)
            variables.append(PathVariable(field_path, start, len(segments)))
        else:
            segments.append(_check_segment(token, template))
    if DOUBLE_STAR in segments[:-1]:
        raise TemplateError(f"'**' must be the last segment in {template!r}")
    if len({v.field_path for v in variables}) != len(variables):
        raise TemplateError(f"a field is bound twice in {template!r}")
    return PathTemplate(tuple(segments), tuple(variables), verb)


def _split_verb(body: str, template: str) -> tuple[str, str]:
    depth = 0
    for index in range(len(body) - 1, -1, -1):
        char = body[index]
        if char == "}":
            depth += 1
        elif char == "{":
            depth -= 1
        elif depth == 0 and char == "/":
            break
        elif depth == 0 and char == ":":
            verb = body[index + 1 :]
            if not _LITERAL.fullmatch(verb):
                raise TemplateError(f"bad custom verb in {template!r}")
            return body[:index], verb
    return body, ""


def _split_top_level(body: str, template: str) -> list[str]:
    tokens: list[str] = []
    depth = 0
    current: list[str] = []
    for char in body:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        if depth not in (0, 1):
            raise TemplateError(f"unbalanced braces in {template!r}")
        if char == "/" and depth == 0:
            tokens.append("".join(current))
            current = []
        else:
            current.append(char)
    if depth != 0:
        raise TemplateError(f"unbalanced braces in {template!r}")
    tokens.append("".join(current))
    return tokens


def _check_segment(segment: str, template: str) -> str:
    if segment in (STAR, DOUBLE_STAR) or _LITERAL.fullmatch(segment):
        return segment
    raise TemplateError(f"bad segment {segment!r} in {template!r}")


class HttpRoute(Struct, frozen=True):
    """One REST binding of one RPC."""

    procedure: str  # "/memos.api.v1.UserService/GetUser"
    service: str  # "memos.api.v1.UserService"
    method: str  # "GetUser"
    verb: str  # "GET", "POST", "PATCH", "DELETE", "PUT" or a custom kind, upper case
    template: str  # as written, e.g. "/api/v1/{name=users/*}:getStats"
    body: str  # "", "*" or a top-level field name
    response_body: str  # "" or a top-level field name of the response
    matcher: PathTemplate  # parsed from ``template``

    @property
    def path_fields(self) -> tuple[str, ...]:
        """Request field paths bound by the path, e.g. ("memo.name",)."""
        return tuple(variable.field_path for variable in self.matcher.variables)

    def binds(self, field_path: str) -> bool:
        """Whether the path or the body fills ``field_path`` (so the query string must not).

        ``body: "*"`` binds every field; otherwise a field is bound when it is, contains or lies
        inside a path variable's field or the body field.
        """
        if self.body == "*":
            return True
        bound = (*self.path_fields, self.body) if self.body else self.path_fields
        return any(
            field_path == each
            or field_path.startswith(each + ".")
            or each.startswith(field_path + ".")
            for each in bound
        )

    def match(self, path: str) -> dict[str, str] | None:
        return self.matcher.match(path)


class RouteMatch(Struct, frozen=True):
    route: HttpRoute
    variables: dict[str, str]


class MethodNotAllowed(Struct, frozen=True):
    """The path is known, but not for the requested verb; ``routes`` are the ones that match."""

    routes: tuple[HttpRoute, ...]

    @property
    def allowed_verbs(self) -> tuple[str, ...]:
        return tuple(sorted({route.verb for route in self.routes}))


class Router:
    """Finds the route for a verb and raw path, most specific first (see the module docstring)."""

    def __init__(self, routes: Iterable[HttpRoute]) -> None:
        ordered = sorted(routes, key=lambda r: r.matcher.specificity, reverse=True)
        seen: dict[tuple[str, tuple[tuple[str, ...], str]], HttpRoute] = {}
        for route in ordered:
            key = (route.verb, route.matcher.shape)
            if key in seen:
                other = seen[key]
                raise ValueError(
                    f"ambiguous routes: {route.verb} {route.template} ({route.procedure}) "
                    f"and {other.template} ({other.procedure})"
                )
            seen[key] = route
        self._routes = tuple(ordered)

    @property
    def routes(self) -> tuple[HttpRoute, ...]:
        return self._routes

    def match(self, verb: str, path: str) -> RouteMatch | MethodNotAllowed | None:
        verb = verb.upper()
        other_verbs: list[HttpRoute] = []
        for route in self._routes:  # most specific first, so the first hit wins
            variables = route.match(path)
            if variables is None:
                continue
            if route.verb == verb:
                return RouteMatch(route, variables)
            other_verbs.append(route)
        return MethodNotAllowed(tuple(other_verbs)) if other_verbs else None


def routes_for_method(method: MethodDescriptor) -> tuple[HttpRoute, ...]:
    """The routes of one RPC: its google.api.http rule plus any additional bindings."""
    options = method.GetOptions()
    if not options.HasExtension(annotations_pb2.http):
        return ()
    rule = options.Extensions[annotations_pb2.http]
    rules = [rule, *rule.additional_bindings]
    return tuple(_route_from_rule(method, each) for each in rules)


def _route_from_rule(method: MethodDescriptor, rule: http_pb2.HttpRule) -> HttpRoute:
    pattern = rule.WhichOneof("pattern")
    if pattern is None:
        raise TemplateError(f"{method.full_name}: google.api.http rule has no path")
    if pattern == "custom":
        verb, template = rule.custom.kind.upper(), rule.custom.path
    else:
        verb, template = pattern.upper(), getattr(rule, pattern)
    service = method.containing_service.full_name
    return HttpRoute(
        procedure=f"/{service}/{method.name}",
        service=service,
        method=method.name,
        verb=verb,
        template=template,
        body=rule.body,
        response_body=rule.response_body,
        matcher=parse_template(template),
    )


def routes_for_services(services: Iterable[ServiceDescriptor]) -> tuple[HttpRoute, ...]:
    return tuple(
        route
        for service in services
        for method in service.methods
        for route in routes_for_method(method)
    )


def load_service_descriptors() -> tuple[ServiceDescriptor, ...]:
    """Import every generated ``*_pb2`` module of the API and return the eight services."""
    package = importlib.import_module(API_PACKAGE)
    for module in pkgutil.iter_modules(package.__path__):
        if module.name.endswith("_pb2"):
            importlib.import_module(f"{API_PACKAGE}.{module.name}")
    pool = descriptor_pool.Default()
    return tuple(pool.FindServiceByName(name) for name in SERVICE_NAMES)


@cache
def all_routes() -> tuple[HttpRoute, ...]:
    """Every REST route of the eight services, in declaration order (cached)."""
    return routes_for_services(load_service_descriptors())


@cache
def default_router() -> Router:
    return Router(all_routes())


# --- Simple path forms for OpenAPI and API Gateway -------------------------------------------


def parameter_names(route: HttpRoute) -> tuple[str, ...]:
    """One name per wildcard segment of the template, in order (see :func:`simple_path`)."""
    names: list[str] = []
    segments = route.matcher.segments
    for index, segment in enumerate(segments):
        if segment in (STAR, DOUBLE_STAR):
            previous = segments[index - 1] if index else ""
            base = _singular(previous) if previous not in ("", STAR, DOUBLE_STAR) else "segment"
            name, n = base, 2
            while name in names:
                name, n = f"{base}{n}", n + 1
            names.append(name)
    return tuple(names)


def simple_path(route: HttpRoute, *, keep_verb: bool = True) -> str:
    """The template with every wildcard segment turned into a named ``{param}``.

    Each ``*`` (and ``**``) is named after the collection literal before it, singularised and
    camelCased: ``/api/v1/{name=users/*/settings/*}`` becomes
    ``/api/v1/users/{user}/settings/{setting}``.
    The request field (``name``) is the segments of its pattern joined with "/"; OpenAPI documents
    say so per parameter. Because names come from the collection, every route shares the same name
    at the same position, which API Gateway requires of sibling routes.

    ``keep_verb=True`` appends the custom verb (``/api/v1/users/{user}:getStats``, valid OpenAPI);
    ``keep_verb=False`` drops it where the last segment is a parameter (see
    :func:`api_gateway_path`).
    """
    names = iter(parameter_names(route))
    parts: list[str] = []
    for segment in route.matcher.segments:
        if segment == STAR:
            parts.append("{" + next(names) + "}")
        elif segment == DOUBLE_STAR:
            parts.append("{" + next(names) + "+}")
        else:
            parts.append(segment)
    path = "/" + "/".join(parts)
    verb = route.matcher.verb
    last_is_parameter = route.matcher.segments[-1] in (STAR, DOUBLE_STAR)
    if verb and (keep_verb or not last_is_parameter):
        path += ":" + verb
    return path


def api_gateway_path(route: HttpRoute) -> str:
    """The path of an API Gateway HTTP API route key for ``route``.

    API Gateway parameters must fill a whole segment (``{user}``, or greedy ``{proxy+}`` last),
    so a custom verb after a parameter cannot be expressed: ``/api/v1/{name=users/*}:getStats``
    becomes ``/api/v1/users/{user}``, the parameter absorbing ``5:getStats``; the gateway Lambda
    then tells GetUser and GetUserStats apart. After a literal the verb stays literal text:
    ``/api/v1/users:stats``. Several routes may therefore share one API Gateway path; callers
    building route keys should de-duplicate ``(verb, path)`` pairs (see
    :func:`api_gateway_route_keys`).
    """
    return simple_path(route, keep_verb=False)


def api_gateway_route_keys(routes: Iterable[HttpRoute]) -> tuple[str, ...]:
    """Distinct ``"VERB /path"`` route keys for the given routes, sorted."""
    return tuple(sorted({f"{route.verb} {api_gateway_path(route)}" for route in routes}))


def _singular(collection: str) -> str:
    words = [word for word in re.split(r"[^A-Za-z0-9]+", collection) if word]
    if not words:
        return "segment"
    name = words[0] + "".join(word[:1].upper() + word[1:] for word in words[1:])
    if name.endswith("ies"):
        return name[:-3] + "y"
    if name.endswith("s") and not name.endswith("ss"):
        return name[:-1]
    return name
