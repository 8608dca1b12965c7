"""Webhook delivery latency on the local server: from a memo write to the receiver.

Starts ``memos-serverless serve`` (throwaway data, loopback webhooks allowed) and a receiver on
loopback, signs up, creates a webhook through REST, then creates, edits and deletes memos. For
each delivery it prints the time from the start of the API call to the receiver getting the
POST, and whether the Standard Webhooks signature checks out with the secret CreateUserWebhook
returned. Run: ``.venv/bin/python bench/webhook_latency.py [--rounds N]``.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import httpx

REPO_ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "correct-horse-42"


class Receiver(HTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Hook)
        self.received: list[tuple[float, dict[str, str], bytes]] = []
        self.arrived = threading.Condition()


class _Hook(BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        with self.server.arrived:
            headers = {name.lower(): value for name, value in self.headers.items()}
            self.server.received.append((time.perf_counter(), headers, body))
            self.server.arrived.notify_all()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"code":0}')

    def log_message(self, *_: Any) -> None:
        return


def verified(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """The README's receiver check."""
    msg_id, stamp = headers["webhook-id"], headers["webhook-timestamp"]
    key = base64.b64decode(secret.removeprefix("whsec_"))
    mac = hmac.new(key, f"{msg_id}.{stamp}.".encode() + body, hashlib.sha256).digest()
    expected = "v1," + base64.b64encode(mac).decode()
    return any(hmac.compare_digest(expected, s) for s in headers["webhook-signature"].split())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_server(port: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MEMOS_", "AWS_"))}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO_ROOT / "shared"), str(REPO_ROOT)])
    env["MEMOS_ALLOW_LOOPBACK_WEBHOOKS"] = "true"
    command = [sys.executable, "-m", "devserver.cli", "serve", "--ephemeral"]
    command += ["--port", str(port), "--s3-port", "0"]
    return subprocess.Popen(
        command, cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def wait_until_up(base: str, timeout: float = 60.0) -> None:
    until = time.monotonic() + timeout
    while time.monotonic() < until:
        try:
            if httpx.get(f"{base}/api/v1/instance/profile").status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit("the local server did not come up")


def wait_for(receiver: Receiver, count: int, timeout: float = 30.0) -> None:
    with receiver.arrived:
        if not receiver.arrived.wait_for(lambda: len(receiver.received) >= count, timeout):
            raise SystemExit(f"only {len(receiver.received)} of {count} deliveries arrived")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="memos created, edited, deleted")
    rounds = parser.parse_args().rounds

    receiver = Receiver()
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    port = free_port()
    server = start_server(port)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base)
        client = httpx.Client(base_url=base, timeout=30)
        connect = {"content-type": "application/json"}
        client.post(
            "/memos.api.v1.UserService/CreateUser",
            json={"user": {"username": "bench", "password": PASSWORD}},
            headers=connect,
        ).raise_for_status()
        signed_in = client.post(
            "/memos.api.v1.AuthService/SignIn",
            json={"passwordCredentials": {"username": "bench", "password": PASSWORD}},
            headers=connect,
        )
        signed_in.raise_for_status()
        auth = {"authorization": f"Bearer {signed_in.json()['accessToken']}"}
        hook_url = f"http://127.0.0.1:{receiver.server_address[1]}/hook"
        webhook = client.post(
            "/api/v1/users/1/webhooks", json={"url": hook_url, "displayName": "bench"}, headers=auth
        )
        webhook.raise_for_status()
        secret = webhook.json()["signingSecret"]

        latencies: dict[str, list[float]] = {"created": [], "updated": [], "deleted": []}
        signatures_ok = 0
        for n in range(rounds):
            for kind in ("created", "updated", "deleted"):
                expected = len(receiver.received) + 1
                started = time.perf_counter()
                if kind == "created":
                    answer = client.post(
                        "/api/v1/memos", json={"content": f"bench memo {n}"}, headers=auth
                    )
                    name = answer.json()["name"]
                elif kind == "updated":
                    answer = client.patch(
                        f"/api/v1/{name}?updateMask=content",
                        json={"content": f"bench memo {n}, edited"},
                        headers=auth,
                    )
                else:
                    answer = client.delete(f"/api/v1/{name}", headers=auth)
                answer.raise_for_status()
                wait_for(receiver, expected)
                arrived, headers, body = receiver.received[expected - 1]
                event = json.loads(body)["activityType"]
                if event != f"memos.memo.{kind}":
                    raise SystemExit(f"expected memos.memo.{kind}, got {event}")
                latencies[kind].append((arrived - started) * 1000)
                signatures_ok += verified(secret, headers, body)
        print(f"webhook delivery on the local server ({rounds} memos, receiver on loopback)\n")
        print(f"{'event':<10}{'min ms':>10}{'median ms':>12}{'max ms':>10}")
        for kind, values in latencies.items():
            print(
                f"{kind:<10}{min(values):>10.0f}{statistics.median(values):>12.0f}"
                f"{max(values):>10.0f}"
            )
        total = len(receiver.received)
        print(f"\n{total} deliveries, {signatures_ok} with a signature the README's check accepts")
    finally:
        server.terminate()
        server.wait(timeout=30)
        receiver.shutdown()


if __name__ == "__main__":
    main()
