"""The local server under sign-in load: a light call's latency, served on one loop or from threads.

For each way of serving, a server process (moto in process, as ``make serve`` runs it) is
started, a user signs up, and GetInstanceProfile's median latency is measured idle and then
while eight clients sign in over and over. "one loop" is the app straight on uvicorn's event
loop (as before ``devserver.worker_threads``); "worker threads" is what ``make serve`` runs:
requests in worker threads, password hashes gated below the core count. The two alternate, and
each figure is the median over the rounds.

Run with ``python bench/local_server_load.py [rounds]`` (default 2).
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "shared") not in sys.path:
    sys.path[:0] = [str(ROOT / "shared"), str(ROOT)]

MODES = ("one loop", "worker threads")
USERNAME = "loaded"
PASSWORD = "a-long-enough-password"
CLIENTS = 8
SAMPLES = 20


def serve(mode: str, port: int) -> None:
    """Run the local server in this process, served as ``mode`` says."""
    import uvicorn

    from devserver.aws import local_aws
    from devserver.cli import build_local_app
    from devserver.hashing import default_hashing_threads, hashes_at_most
    from devserver.worker_threads import WorkerThreadApp
    from memos.config import Settings

    settings = Settings.from_environ()
    with local_aws(settings), hashes_at_most(default_hashing_threads()):
        app = build_local_app(settings)
        served = WorkerThreadApp(app) if mode == "worker threads" else app
        uvicorn.run(served, host="127.0.0.1", port=port, lifespan="off", log_level="warning")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _start(mode: str) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MEMOS_", "AWS_"))}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "shared"), str(ROOT)])
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", mode, str(port)], cwd=ROOT, env=env
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{base}/api/docs", timeout=0.5)
        except httpx.HTTPError:
            time.sleep(0.1)
            continue
        return server, base
    server.kill()
    raise SystemExit(f"the server ({mode}) did not start")


def _light_median(http: httpx.Client) -> float:
    times = []
    for _ in range(SAMPLES):
        started = time.perf_counter()
        http.post("/memos.api.v1.InstanceService/GetInstanceProfile", json={}).raise_for_status()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _sign_in_until(base: str, stop: threading.Event) -> None:
    body = {"passwordCredentials": {"username": USERNAME, "password": PASSWORD}}
    with httpx.Client(base_url=base, timeout=60) as http:
        while not stop.is_set():
            http.post("/memos.api.v1.AuthService/SignIn", json=body).raise_for_status()


def measure(mode: str) -> tuple[float, float]:
    """(idle, busy) median seconds of the light call on a fresh server served as ``mode``."""
    server, base = _start(mode)
    try:
        with httpx.Client(base_url=base, timeout=60) as http:
            user = {"user": {"username": USERNAME, "password": PASSWORD}}
            http.post("/memos.api.v1.UserService/CreateUser", json=user).raise_for_status()
            _light_median(http)  # warm up
            idle = _light_median(http)
            stop = threading.Event()
            clients = [
                threading.Thread(target=_sign_in_until, args=(base, stop)) for _ in range(CLIENTS)
            ]
            for thread in clients:
                thread.start()
            time.sleep(0.5)
            busy = _light_median(http)
            stop.set()
            for thread in clients:
                thread.join()
        return idle, busy
    finally:
        server.terminate()
        server.wait(timeout=10)


def main(rounds: int) -> None:
    figures: dict[str, list[tuple[float, float]]] = {mode: [] for mode in MODES}
    for _ in range(rounds):
        for mode in MODES:
            figures[mode].append(measure(mode))
    print(f"GetInstanceProfile median, {CLIENTS} clients signing in, {rounds} round(s)")
    print(f"{'served':<16}{'idle ms':>10}{'busy ms':>10}{'busy/idle':>11}")
    for mode, runs in figures.items():
        idle = statistics.median(run[0] for run in runs) * 1000
        busy = statistics.median(run[1] for run in runs) * 1000
        print(f"{mode:<16}{idle:>10.1f}{busy:>10.1f}{busy / idle:>10.1f}x")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--serve":
        serve(sys.argv[2], int(sys.argv[3]))
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
