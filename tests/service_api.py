"""One client for calling a service's in-process app the three ways a real client does.

Connect JSON, Connect binary and REST, each with an optional bearer token. Test folders make
their own subclass with the service name and any helpers of their own.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from msgspec import Struct

from tests.asgi import Response, call

if TYPE_CHECKING:
    from google.protobuf.message import Message

    from memos.rpc.asgi import ASGIApp


def _bearer(token: str | None) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"} if token else {}


class ServiceApi(Struct):
    app: ASGIApp
    service: str = ""  # e.g. "UserService": the default of the Connect calls

    def _path(self, method: str, service: str | None) -> str:
        return f"/memos.api.v1.{service or self.service}/{method}"

    def connect(
        self, method: str, body: object, token: str | None = None, service: str | None = None
    ) -> Response:
        """A Connect JSON call."""
        headers = {"content-type": "application/json", **_bearer(token)}
        path = self._path(method, service)
        return call(self.app, "POST", path, body=json.dumps(body).encode(), headers=headers)

    def connect_binary(self, method: str, request: Message, token: str | None = None) -> Response:
        headers = {
            "content-type": "application/proto",
            "connect-protocol-version": "1",
            **_bearer(token),
        }
        path = self._path(method, None)
        return call(self.app, "POST", path, body=request.SerializeToString(), headers=headers)

    def rest(
        self,
        verb: str,
        path: str,
        body: object | None = None,
        token: str | None = None,
        query: str = "",
    ) -> Response:
        headers = _bearer(token)
        raw = b""
        if body is not None:
            headers["content-type"] = "application/json"
            raw = json.dumps(body).encode()
        return call(self.app, verb, path, body=raw, headers=headers, query=query)

    def ok(
        self, method: str, body: object, token: str | None = None, service: str | None = None
    ) -> Any:
        """A Connect JSON call that must succeed; its JSON reply."""
        response = self.connect(method, body, token, service)
        assert response.status == 200, response.body
        return response.json()
