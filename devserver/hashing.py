"""At most a few password hashes at once on the local server, so the other calls keep a core.

A bcrypt hash or check at cost 10 is ~70-140 ms of pure CPU (bcrypt lets go of the GIL while it
works). Once requests run in worker threads (:mod:`devserver.worker_threads`), eight concurrent
sign-ins are eight such threads: on a two-core machine they take both cores, and a light call
gets a ninth of them. Queueing the hashes behind a gate sized below the core count leaves a core
free for everything else, and costs sign-ins nothing: they were CPU-bound anyway.

The Lambdas need no such gate (a container serves one request at a time), so it is put around
bcrypt's two hashing calls only while the local server runs.
"""

from __future__ import annotations

import functools
import os
import threading
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

_HASHING_CALLS = ("hashpw", "checkpw")


def default_hashing_threads() -> int:
    """One fewer than the cores this process may use, at least one."""
    return max(1, (os.cpu_count() or 2) - 1)


@contextmanager
def hashes_at_most(limit: int) -> Iterator[None]:
    """While active, at most ``limit`` bcrypt hashes or checks run at once; others wait."""
    import bcrypt  # noqa: PLC0415 - only the local server gates it

    gate = threading.BoundedSemaphore(limit)
    originals: dict[str, Callable[..., Any]] = {
        name: getattr(bcrypt, name) for name in _HASHING_CALLS
    }
    for name, call in originals.items():
        setattr(bcrypt, name, _behind(gate, call))
    try:
        yield
    finally:
        for name, call in originals.items():
            setattr(bcrypt, name, call)


def _behind(gate: threading.BoundedSemaphore, call: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(call)
    def gated(*args: Any, **kwargs: Any) -> Any:
        with gate:
            return call(*args, **kwargs)

    return gated
