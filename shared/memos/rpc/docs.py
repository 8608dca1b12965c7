"""The API documents: ``GET /api/v1/openapi.json`` and a Swagger UI page at ``GET /api/docs``.

Swagger UI's files come from the installed ``swagger_ui_bundle`` package and are served from
``/api/docs/assets/<file>``, so the page renders without any CDN. Only the files the page uses
can be fetched; any other name is a 404, so no path reaches the file system from a request.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from memos.errors import ErrorKind
from memos.rpc.openapi import openapi_json
from memos.rpc.rest import rest_error_response

if TYPE_CHECKING:
    from memos.rpc.asgi import RawHeaders, Receive, Scope, Send

OPENAPI_PATH = "/api/v1/openapi.json"
DOCS_PATH = "/api/docs"
ASSETS_PREFIX = "/api/docs/assets/"

ASSET_CONTENT_TYPES: dict[str, bytes] = {
    "swagger-ui.css": b"text/css; charset=utf-8",
    "swagger-ui-bundle.js": b"text/javascript; charset=utf-8",
    "swagger-ui-standalone-preset.js": b"text/javascript; charset=utf-8",
    "favicon-32x32.png": b"image/png",
    "favicon-16x16.png": b"image/png",
}

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Memos API</title>
<link rel="stylesheet" href="{assets}swagger-ui.css">
<link rel="icon" type="image/png" href="{assets}favicon-32x32.png" sizes="32x32">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{assets}swagger-ui-bundle.js"></script>
<script src="{assets}swagger-ui-standalone-preset.js"></script>
<script>
window.ui = SwaggerUIBundle({{
  url: "{spec}",
  dom_id: "#swagger-ui",
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: "StandaloneLayout"
}});
</script>
</body>
</html>
"""


def docs_page(root_path: str = "") -> bytes:
    """The Swagger UI page; ``root_path`` is the prefix the app is mounted under, if any."""
    return _PAGE.format(assets=root_path + ASSETS_PREFIX, spec=root_path + OPENAPI_PATH).encode()


@cache
def asset(name: str) -> bytes | None:
    """The bytes of a known Swagger UI file, or None for any other name (read once)."""
    if name not in ASSET_CONTENT_TYPES:
        return None
    from swagger_ui_bundle import swagger_ui_path  # noqa: PLC0415 - only when docs are opened

    return (swagger_ui_path / name).read_bytes()  # type: ignore[no-any-return]


def docs_response(method: str, path: str, root_path: str = "") -> tuple[int, RawHeaders, bytes]:
    """Status, headers and body for a request to one of the documentation paths."""
    if method not in ("GET", "HEAD"):
        return rest_error_response(
            ErrorKind.UNIMPLEMENTED,
            f"method {method} not allowed for {path}",
            http_status=405,
            headers=[("allow", "GET, HEAD")],
        )
    if path == OPENAPI_PATH:
        return 200, [(b"content-type", b"application/json")], openapi_json()
    if path in (DOCS_PATH, DOCS_PATH + "/"):
        return 200, [(b"content-type", b"text/html; charset=utf-8")], docs_page(root_path)
    if path.startswith(ASSETS_PREFIX):
        name = path[len(ASSETS_PREFIX) :]
        data = asset(name)
        if data is not None:
            headers: RawHeaders = [
                (b"content-type", ASSET_CONTENT_TYPES[name]),
                (b"cache-control", b"public, max-age=86400"),
            ]
            return 200, headers, data
    return rest_error_response(ErrorKind.NOT_FOUND, f"no route matches {method} {path}")


class DocsApp:
    """ASGI app for the documentation paths (mounted by the app factory)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        method = str(scope["method"]).upper()
        status, headers, body = docs_response(method, scope["path"], scope.get("root_path", ""))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if method == "HEAD" else body})
