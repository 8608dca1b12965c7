"""``GET /file/users/{id-or-username}/avatar``: a user's stored avatar as an image (public).

Plain HTTP outside the RPC chain (a browser's ``<img>`` sends no bearer token), so this app
answers its errors itself, as plain text: 404 "user not found" / "avatar not found", 400 for an
image type that is not served, 405 for methods other than GET and HEAD. An avatar that is an
external URL is "avatar not found" here: the user's ``avatar_url`` already points there, and
redirecting would make this route an open redirect.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from functions.user.avatars import AVATAR_NOT_FOUND, avatar_image
from memos.domain.avatars import AVATAR_ROUTE_PREFIX, AVATAR_ROUTE_SUFFIX
from memos.domain.users import find_user_by_segment
from memos.errors import ERROR_TABLE, FailedPreconditionError, MemosError
from memos.rpc.asgi import send_response

if TYPE_CHECKING:
    from memos.rpc.asgi import RawHeaders, Receive, Scope, Send
    from memos.store.users import UserStore

_IMAGE_HEADERS: Final = (
    (b"cache-control", b"public, max-age=3600"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"default-src 'none'; style-src 'unsafe-inline';"),
)


class AvatarFileRoute:
    """The ASGI app behind :data:`AVATAR_ROUTE_PREFIX`."""

    def __init__(self, users: UserStore) -> None:
        self._users = users

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        method = scope["method"]
        if method not in ("GET", "HEAD"):
            await _text(send, 405, "method not allowed", [(b"allow", b"GET, HEAD")])
            return
        segment = avatar_path_segment(scope["path"])
        if segment is None:
            await _text(send, 404, "not found")
            return
        try:
            user = find_user_by_segment(self._users, segment)
            image = avatar_image(user.avatar_url)
        except FailedPreconditionError:
            await _text(send, 404, AVATAR_NOT_FOUND)
            return
        except MemosError as error:
            await _text(send, ERROR_TABLE[error.kind].http_status, error.message)
            return
        except Exception:
            from memos.observability import get_logger  # noqa: PLC0415 - only on failures

            get_logger().exception("avatar request failed")
            await _text(send, 500, "internal server error")
            return
        headers: RawHeaders = [
            (b"content-type", image.content_type.encode("latin-1")),
            (b"content-length", str(len(image.data)).encode()),
            *_IMAGE_HEADERS,
        ]
        await send_response(send, 200, headers, b"" if method == "HEAD" else image.data)


def avatar_path_segment(path: str) -> str | None:
    """The ``{id-or-username}`` of exactly ``/file/users/{segment}/avatar``, else None."""
    if not (path.startswith(AVATAR_ROUTE_PREFIX) and path.endswith(AVATAR_ROUTE_SUFFIX)):
        return None
    segment = path[len(AVATAR_ROUTE_PREFIX) : -len(AVATAR_ROUTE_SUFFIX)]
    return segment if segment and "/" not in segment else None


async def _text(send: Send, status: int, message: str, extra: RawHeaders | None = None) -> None:
    headers: RawHeaders = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"x-content-type-options", b"nosniff"),
        *(extra or []),
    ]
    await send_response(send, status, headers, message.encode())
