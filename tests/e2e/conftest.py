"""The local server as a user starts it, in its own process on a free port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator

REPO_ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT_SECONDS = 20.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _accepts_connections(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def _clean_environment() -> dict[str, str]:
    """The caller's environment without any MEMOS_ or AWS_ setting, so defaults apply."""
    env = {
        name: value for name, value in os.environ.items() if not name.startswith(("MEMOS_", "AWS_"))
    }
    env["PYTHONPATH"] = os.pathsep.join([str(REPO_ROOT / "shared"), str(REPO_ROOT)])
    return env


@pytest.fixture(scope="module")
def local_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Runs ``memos-serverless serve`` until the module's tests are done; yields its base URL."""
    port = _free_port()
    log_path = tmp_path_factory.mktemp("local-server") / "server.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            # The emulated S3 on a free port too, so servers of parallel runs never collide;
            # throwaway data, so runs neither see nor leave any.
            [
                *(sys.executable, "-m", "devserver.cli", "serve", "--ephemeral"),
                *("--port", str(port), "--s3-port", "0"),
            ],
            cwd=REPO_ROOT,
            env=_clean_environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while not _accepts_connections(port):
            if server.poll() is not None or time.monotonic() > deadline:
                output = log_path.read_text(errors="replace")
                pytest.fail(f"local server did not start on port {port}:\n{output}")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=5)


@pytest.fixture(scope="module")
def client(local_server: str) -> Iterator[httpx.Client]:
    """An HTTP client of the module's local server, patient enough for large files."""
    with httpx.Client(base_url=local_server, timeout=60.0) as http:
        yield http
