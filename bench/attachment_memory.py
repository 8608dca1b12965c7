"""Peak memory of the attachment function while a 4 MiB file goes in and comes back out.

Both requests go through the function's Lambda entry (``memos.rpc.lambda_entry``) with the API
Gateway HTTP API events a client causes:

- upload: CreateAttachment over Connect binary, as the web app sends it (the event carries the
  request base64-encoded, as API Gateway passes binary bodies);
- download: ``GET /file/attachments/{uid}/{filename}``, answered from the function (4 MiB is the
  most it serves itself) as a base64 body.

S3 is moto's server in a child process reached over HTTP, so this process holds only what the
function itself would hold (botocore's request and response included); the table is the
in-memory one. Figures per request, after a small warm-up of both:

- Python allocations: tracemalloc's peak during the call, above what was allocated before it
  (the event, built beforehand as the Lambda runtime would, is not counted);
- RSS: the rise of the process's peak resident size during the call (Linux; a separate run
  without tracemalloc, whose bookkeeping would count too; glibc's mmap threshold fixed, so freed
  large buffers go back to the system instead of being reused unseen).

The target is under 3x the payload.
Run with ``make bench`` or ``python bench/attachment_memory.py``.
"""

from __future__ import annotations

import gc
import os
import socket
import subprocess
import sys
import tempfile
import time
import tracemalloc
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "shared") not in sys.path:
    sys.path[:0] = [str(ROOT / "shared"), str(ROOT)]

PAYLOAD_BYTES = 4 * 1024 * 1024
TARGET_RATIO = 3.0
REGION = "us-east-1"
BUCKET = "memos-bench-attachments"
_MIB = 1024 * 1024


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def _s3_server() -> Iterator[str]:
    """moto's server in a child process for the duration; yields its endpoint."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("moto's server did not start") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def _status_kib(field: str) -> int:
    """A ``/proc/self/status`` figure in KiB (VmRSS, VmHWM)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def _reset_peak_rss() -> bool:
    """Reset VmHWM to the current RSS (Linux 4.0+); False where that is not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def python_peak(call: Callable[[], Any]) -> int:
    """Bytes Python allocated at the peak of ``call``, above what was allocated before it."""
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        result = call()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    del result
    return peak - base


def rss_peak_rise(call: Callable[[], Any]) -> int | None:
    """Bytes the peak resident size rose by during ``call`` (None where it can't be measured)."""
    gc.collect()
    if not _reset_peak_rss():
        return None
    before = _status_kib("VmRSS")
    result = call()
    rise = (_status_kib("VmHWM") - before) * 1024
    del result
    return max(rise, 0)


def main() -> None:
    if os.environ.get("MALLOC_MMAP_THRESHOLD_") is None:
        # A fixed threshold keeps large buffers in their own mappings, returned when freed, so
        # the RSS figure shows what a call needs rather than what earlier calls left to reuse.
        environment = {**os.environ, "MALLOC_MMAP_THRESHOLD_": str(128 * 1024)}
        os.execve(sys.executable, [sys.executable, __file__, *sys.argv[1:]], environment)
    os.environ.setdefault("MEMOS_LOG_LEVEL", "WARNING")
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        os.environ.setdefault(name, "testing")
    os.environ.setdefault("AWS_DEFAULT_REGION", REGION)
    with _s3_server() as endpoint:
        run(endpoint)


def run(endpoint: str) -> None:
    from bench.http_api_events import http_api_event
    from functions.attachment.service import AttachmentService
    from memos.api.v1 import attachment_service_pb2 as pb
    from memos.auth.signing_secret import signing_secrets
    from memos.auth.tokens import mint_access_token
    from memos.auth.verifier import StoreTokenVerifier
    from memos.config import Settings
    from memos.rpc.lambda_entry import lambda_handler
    from memos.store.blobs import BlobStore
    from memos.store.clients import s3_client
    from memos.store.memory import memory_stores
    from memos.store.users import NewUser

    blobs = BlobStore(lambda: s3_client(REGION, endpoint), BUCKET)
    blobs.ensure_bucket()
    stores = memory_stores().with_blobs(blobs)
    user = stores.users.create(NewUser(username="bench", role="USER"))
    settings = Settings(local_data_dir=tempfile.mkdtemp(prefix="memos-bench-"))
    secrets = signing_secrets(settings)
    token, _ = mint_access_token(
        user_id=user.id,
        username=user.username,
        role=user.role,
        status=user.state,
        secret=secrets[0],
    )
    signed_in = {"authorization": f"Bearer {token}"}
    verifier = StoreTokenVerifier(stores, secrets=lambda: secrets)
    handler = lambda_handler(AttachmentService(stores, settings), verifier=verifier)

    def upload_event(uid: str, size: int) -> dict[str, Any]:
        request = pb.CreateAttachmentRequest(
            attachment=pb.Attachment(
                filename=f"{uid}.bin", type="application/octet-stream", content=os.urandom(size)
            ),
            attachment_id=uid,
        )
        binary = {
            "content-type": "application/proto",
            "connect-protocol-version": "1",
            **signed_in,
        }
        path = "/memos.api.v1.AttachmentService/CreateAttachment"
        return http_api_event("POST", path, headers=binary, body=request.SerializeToString())

    def download_event(uid: str) -> dict[str, Any]:
        return http_api_event("GET", f"/file/attachments/{uid}/{uid}.bin", headers=signed_in)

    def call(event: dict[str, Any], expect_bytes: int | None = None) -> dict[str, Any]:
        answer: dict[str, Any] = handler(event, None)
        assert answer["statusCode"] == 200, {k: v for k, v in answer.items() if k != "body"}
        if expect_bytes is not None:
            assert answer["isBase64Encoded"], "binary answers travel as base64"
            assert len(answer["body"]) == 4 * ((expect_bytes + 2) // 3)
        return answer

    for uid in ("warm-up",):  # imports, clients and connections: paid once per container
        call(upload_event(uid, 1024))
        call(download_event(uid), 1024)

    # Each figure uploads its own file ("traced" under tracemalloc, "plain" for RSS) and the
    # downloads read them back.
    traced, plain = upload_event("traced", PAYLOAD_BYTES), upload_event("plain", PAYLOAD_BYTES)
    rows: list[tuple[str, int, int | None]] = [
        (
            "upload (CreateAttachment)",
            python_peak(lambda: call(traced)),
            rss_peak_rise(lambda: call(plain)),
        ),
        (
            "download (/file)",
            python_peak(lambda: call(download_event("traced"), PAYLOAD_BYTES)),
            rss_peak_rise(lambda: call(download_event("plain"), PAYLOAD_BYTES)),
        ),
    ]

    print(f"attachment memory: payload {PAYLOAD_BYTES / _MIB:.0f} MiB, target < {TARGET_RATIO}x\n")
    header = f"{'request':27} {'python peak':>12} {'ratio':>6} {'RSS rise':>10} {'ratio':>6}"
    print(header)
    print("-" * len(header))
    for label, python, rss in rows:
        rss_text = (
            f"{rss / _MIB:8.1f} MiB {rss / PAYLOAD_BYTES:5.2f}x" if rss is not None else "n/a"
        )
        print(f"{label:27} {python / _MIB:8.1f} MiB {python / PAYLOAD_BYTES:5.2f}x {rss_text:>17}")
    worst = max(python for _, python, _ in rows) / PAYLOAD_BYTES
    verdict = "within" if worst < TARGET_RATIO else "OVER"
    print(f"\nworst Python peak: {worst:.2f}x the payload ({verdict} the {TARGET_RATIO}x target)")


if __name__ == "__main__":
    main()
