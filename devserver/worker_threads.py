"""Serving the API from worker threads, so one request's blocking work doesn't stall the others.

The services are async, but what they wait for is synchronous: bcrypt in sign-in, sign-up and
password changes, and every DynamoDB and S3 call (emulated in process by moto, or over HTTP).
On Lambda that costs nothing, as a container serves one request at a time, so the handlers stay
as they are. The local server has one event loop for every client: a blocking call there holds
up every other request until it returns.

:class:`WorkerThreadApp` runs each HTTP request's app call in a thread of a bounded pool, on an
event loop of that thread's own; its ``receive`` and ``send`` are forwarded to the server's
loop, where the server's own callables must run. Other scopes (lifespan) stay on the server's
loop.
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from collections.abc import Awaitable

    from memos.rpc.asgi import ASGIApp, Message, Receive, Scope, Send

# Requests served at once. Threads mostly wait (on bcrypt, which releases the GIL, or on I/O),
# so the bound is well above the core count: eight sign-ins hashing at once still leave threads
# free for other calls. Requests beyond it queue until a thread is free.
WORKER_THREADS = 32

_T = TypeVar("_T")


class WorkerThreadApp:
    """An ASGI app that runs ``app``'s HTTP requests in worker threads."""

    def __init__(self, app: ASGIApp, *, workers: int = WORKER_THREADS) -> None:
        self._app = app
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="memos-request")
        self._loops = threading.local()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        server_loop = asyncio.get_running_loop()

        async def forwarded_receive() -> Message:
            return await _on_loop(server_loop, receive())

        async def forwarded_send(message: Message) -> None:
            await _on_loop(server_loop, send(message))

        await server_loop.run_in_executor(
            self._pool, self._serve, scope, forwarded_receive, forwarded_send
        )

    def _serve(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run one request to its end on this worker thread's event loop (made on first use)."""
        loop: asyncio.AbstractEventLoop | None = getattr(self._loops, "loop", None)
        if loop is None:
            loop = asyncio.new_event_loop()
            self._loops.loop = loop
        loop.run_until_complete(self._app(scope, receive, send))

    def close(self) -> None:
        """Stop taking requests; requests already running finish on their threads."""
        self._pool.shutdown(wait=False, cancel_futures=True)


async def _on_loop(loop: asyncio.AbstractEventLoop, step: Awaitable[_T]) -> _T:
    """Await ``step`` on ``loop`` (another thread's) without blocking the current loop."""
    return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(_awaited(step), loop))


async def _awaited(step: Awaitable[_T]) -> _T:
    return await step
