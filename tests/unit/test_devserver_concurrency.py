"""The local server's concurrency pieces: requests in worker threads, a gate on password
hashing, and one emulated AWS request at a time."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import TYPE_CHECKING, Any

import bcrypt
import pytest
from moto.core.botocore_stubber import BotocoreStubber

from devserver.aws import one_emulated_request_at_a_time
from devserver.hashing import hashes_at_most
from devserver.worker_threads import WorkerThreadApp

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from memos.rpc.asgi import Message, Receive, Scope, Send

HTTP_SCOPE: dict[str, Any] = {"type": "http", "method": "POST", "path": "/"}


class Overlap:
    """A stand-in for a slow call that records how many of its calls ran at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running = 0
        self.most = 0

    def __call__(self, *_args: Any, **_kwargs: Any) -> bool:
        with self._lock:
            self._running += 1
            self.most = max(self.most, self._running)
        time.sleep(0.05)
        with self._lock:
            self._running -= 1
        return True


def run_in_threads(call: Callable[[], Any], count: int) -> None:
    threads = [threading.Thread(target=call) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


async def echo(scope: Scope, receive: Receive, send: Send) -> None:
    """Answers the request body back, with the name of the thread that served it."""
    message = await receive()
    if scope["path"] == "/slow":
        time.sleep(0.5)  # noqa: ASYNC251 - blocking on purpose, as a bcrypt hash is
    thread = threading.current_thread().name.encode()
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": thread + b":" + message["body"]})


async def serve(app: WorkerThreadApp, path: str, body: bytes) -> tuple[bytes, float]:
    """What ``app`` sent back for one request, and when it finished (monotonic seconds)."""
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await app({**HTTP_SCOPE, "path": path}, receive, send)
    return sent[-1]["body"], time.monotonic()


@pytest.fixture
def app() -> Iterator[WorkerThreadApp]:
    served = WorkerThreadApp(echo, workers=4)
    yield served
    served.close()


def test_a_request_runs_on_a_worker_thread_with_its_messages_forwarded(
    app: WorkerThreadApp,
) -> None:
    # Given the app served from worker threads
    # When a request comes in on the server's loop
    answer, _ = asyncio.run(serve(app, "/", b"hello"))

    # Then a worker thread served it, reading the body and sending the answer through the loop
    thread, body = answer.split(b":")
    assert thread.startswith(b"memos-request")
    assert body == b"hello"


def test_a_blocking_request_does_not_hold_up_another(app: WorkerThreadApp) -> None:
    # Given a request that blocks its thread for half a second
    async def both() -> tuple[float, float]:
        started = time.monotonic()
        slow = asyncio.create_task(serve(app, "/slow", b"slow"))
        await asyncio.sleep(0.05)  # the slow one is blocking by now
        # When another request comes in meanwhile
        (_, fast_done), (_, slow_done) = await asyncio.gather(serve(app, "/", b"fast"), slow)
        return fast_done - started, slow_done - started

    fast, slow = asyncio.run(both())

    # Then it is answered at once, long before the blocking one
    assert fast < 0.3
    assert slow >= 0.5


def test_other_scopes_stay_on_the_servers_thread() -> None:
    # Given an app recording the thread it runs on
    threads: list[str] = []

    async def record(scope: Scope, receive: Receive, send: Send) -> None:
        threads.append(threading.current_thread().name)

    served = WorkerThreadApp(record)

    async def no_message() -> Message:
        return {}

    async def ignore(message: Message) -> None:
        return None

    # When a lifespan scope comes in
    asyncio.run(served({"type": "lifespan"}, no_message, ignore))
    served.close()

    # Then it ran where the server runs
    assert threads == [threading.current_thread().name]


def test_password_hashes_run_no_more_than_the_limit_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given bcrypt's check standing in for a slow call
    slow = Overlap()
    monkeypatch.setattr(bcrypt, "checkpw", slow)

    # When four threads check passwords behind a gate of two
    with hashes_at_most(2):
        run_in_threads(lambda: bcrypt.checkpw(b"pw", b"hash"), 4)

    # Then no more than two ran at once, and bcrypt is itself again afterwards
    assert slow.most == 2
    assert bcrypt.checkpw is slow


def test_emulated_requests_are_applied_one_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given moto's request processing standing in for a slow call
    slow = Overlap()
    monkeypatch.setattr(BotocoreStubber, "process_request", slow)
    stubber: Any = object()
    request: Any = None

    # When four threads send requests while emulated requests are serialised
    with one_emulated_request_at_a_time():
        run_in_threads(lambda: BotocoreStubber.process_request(stubber, request), 4)

    # Then moto applied them one after another, and is itself again afterwards
    assert slow.most == 1
    restored: Any = BotocoreStubber.process_request
    assert restored is slow
