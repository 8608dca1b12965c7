from __future__ import annotations

from typing import TYPE_CHECKING

from memos.api.v1 import user_service_connect
from memos.rpc.app import create_service_app
from memos.rpc.asgi import send_response
from tests.asgi import call

if TYPE_CHECKING:
    from collections.abc import Mapping

    from memos.rpc.asgi import ASGIApp, Receive, Scope, Send


async def avatar(scope: Scope, receive: Receive, send: Send) -> None:
    await send_response(send, 200, [(b"content-type", b"image/png")], scope["path"].encode())


class UserServiceWithFiles(user_service_connect.UserService):
    def file_routes(self) -> Mapping[str, ASGIApp]:
        return {"/file/users/": avatar}


def test_file_paths_go_to_the_service_that_declares_them() -> None:
    app = create_service_app(UserServiceWithFiles(), cors_origins=[])

    response = call(app, "GET", "/file/users/1/avatar")

    assert response.status == 200
    assert response.body == b"/file/users/1/avatar"


def test_undeclared_file_paths_are_no_route() -> None:
    app = create_service_app(UserServiceWithFiles(), cors_origins=[])

    response = call(app, "GET", "/file/attachments/x/y.png")

    assert response.status == 404
    assert response.json()["message"] == "no route matches GET /file/attachments/x/y.png"
