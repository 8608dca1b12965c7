"""Serving an image: the original against its kept thumbnail, and making the thumbnail once.

A 4-megapixel JPEG (2448x1632, a photo-like gradient with grain) is uploaded to a PUBLIC memo
(the in-memory table, and a dict standing in for the bucket), then fetched as a browser does,
through the attachment function's Lambda handler stack (the HTTP API entry, the service app,
the file route) with API Gateway HTTP API events: ``GET /file/attachments/{uid}/photo.jpg`` for the
original and ``?thumbnail=true`` for the thumbnail. Prints min and median wall time of N
requests for each, plus the time to make the thumbnail (Pillow decode, Lanczos resize, encode,
S3 put), which only the first request pays.
Times include the base64 of the answer (binary bodies travel so) but leave out S3 and the
network: in the cloud both also pay an S3 GET, and the original the transfer of its extra bytes
from S3 and on to the browser.

Run with ``make bench`` or ``python bench/attachment_thumbnail.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import base64
import io
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "shared") not in sys.path:
    sys.path[:0] = [str(ROOT / "shared"), str(ROOT)]

WIDTH, HEIGHT = 2448, 1632  # 4.0 MP
FILE_ROUTE = "GET /file/attachments/{proxy+}"
BROWSER_IMAGE_HEADERS = {
    "accept": "image/avif,image/webp,image/apng,image/*,*/*;q=0.8",
    "accept-encoding": "gzip, deflate, br, zstd",
}
GENERATION_RUNS = 5


class _NoSuchKeyError(Exception):
    pass


class _Exceptions:
    NoSuchKey = _NoSuchKeyError
    ClientError = _NoSuchKeyError


class MemoryS3:
    """The few S3 calls the file route makes, on a dict: the figures measure the route, Pillow
    and the table, not an emulator's HTTP layer."""

    exceptions = _Exceptions()

    def __init__(self) -> None:
        self.objects: dict[str, tuple[bytes, str]] = {}

    def put_object(self, *, Key: str, Body: bytes, ContentType: str, **_: Any) -> dict[str, Any]:
        self.objects[Key] = (bytes(Body), ContentType)
        return {"ETag": f'"{hash(Body)}"'}

    def get_object(self, *, Key: str, **_: Any) -> dict[str, Any]:
        if Key not in self.objects:
            raise _NoSuchKeyError(Key)
        data, content_type = self.objects[Key]
        return {
            "Body": io.BytesIO(data),
            "ContentType": content_type,
            "ContentLength": len(data),
            "LastModified": datetime.now(UTC),
        }

    def delete_object(self, *, Key: str, **_: Any) -> dict[str, Any]:
        self.objects.pop(Key, None)
        return {}


def photo_jpeg() -> bytes:
    """A photo-like 4 MP JPEG: smooth colour gradients with grain, quality 90."""
    from PIL import Image

    red = Image.linear_gradient("L").resize((WIDTH, HEIGHT))
    green = Image.radial_gradient("L").resize((WIDTH, HEIGHT))
    blue = Image.effect_noise((WIDTH, HEIGHT), 24)
    out = io.BytesIO()
    Image.merge("RGB", (red, green, blue)).save(out, format="JPEG", quality=90)
    return out.getvalue()


def timed(action: Callable[[], Any], runs: int) -> list[float]:
    """Wall times in milliseconds of ``runs`` calls."""
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        times.append((time.perf_counter() - began) * 1000)
    return times


def figure(label: str, times: list[float]) -> str:
    return f"{label:22} {min(times):9.1f} {statistics.median(times):9.1f}   (N={len(times)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="requests per figure")
    args = parser.parse_args()
    os.environ.setdefault("MEMOS_LOG_LEVEL", "WARNING")
    run(args.runs)


def run(runs: int) -> None:
    from bench.http_api_events import http_api_event
    from functions.attachment.records import record_new_attachment
    from functions.attachment.service import AttachmentService
    from functions.memo.writing import MemoDraft, MemoWriter
    from memos.auth.identity import NoTokensVerifier
    from memos.config import Settings
    from memos.rpc.app import create_service_app
    from memos.rpc.http_api import HttpApiAdapter
    from memos.store.blobs import BlobStore, attachment_object_key, thumbnail_object_key
    from memos.store.memory import memory_stores
    from memos.store.users import NewUser

    bucket = MemoryS3()
    stores = memory_stores().with_blobs(BlobStore(lambda: bucket, "bench"))
    settings = Settings(local_data_dir=tempfile.mkdtemp(prefix="memos-bench-"))
    app = create_service_app(
        AttachmentService(stores, settings), settings=settings, verifier=NoTokensVerifier()
    )
    handler = HttpApiAdapter(app)

    writer = stores.users.create(NewUser(username="writer", role="USER"))
    now = int(time.time())
    memo = MemoWriter(stores).create(
        writer.id, "bench-memo", MemoDraft("photo", "PUBLIC", created_ts=now, updated_ts=now)
    )
    data = photo_jpeg()
    key = attachment_object_key("benchphoto")
    stores.blobs.put(key, data, "image/jpeg")
    attachment = record_new_attachment(
        stores,
        creator_id=writer.id,
        filename="photo.jpg",
        mime_type="image/jpeg",
        size=len(data),
        storage_key=key,
        memo_uid=memo.uid,
        uid="benchphoto",
    )
    path = f"/file/attachments/{attachment.uid}/photo.jpg"

    def fetch(query: str) -> bytes:
        event = http_api_event(
            "GET", path, query=query, headers=BROWSER_IMAGE_HEADERS, route_key=FILE_ROUTE
        )
        answer = handler(event, None)
        assert answer["statusCode"] == 200, answer
        assert answer["isBase64Encoded"], "binary answers travel as base64"
        return base64.b64decode(answer["body"])

    def original() -> None:
        assert len(fetch("")) == len(data)

    def thumbnail() -> None:
        fetch("thumbnail=true")

    def fresh_thumbnail() -> None:
        stores.blobs.delete(thumbnail_object_key(attachment.uid))
        thumbnail()

    generated = timed(fresh_thumbnail, GENERATION_RUNS)
    thumb = fetch("thumbnail=true")
    originals = timed(original, runs)
    cached = timed(thumbnail, runs)

    print(
        f"attachment thumbnail: {WIDTH}x{HEIGHT} JPEG of {len(data) / 1024:,.0f} KiB, "
        f"thumbnail {len(thumb) / 1024:,.0f} KiB\n"
    )
    header = f"{'request':22} {'min ms':>9} {'median ms':>9}"
    print(header)
    print("-" * len(header))
    print(figure("original", originals))
    print(figure("cached thumbnail", cached))
    print(figure("first thumbnail", generated))
    print(
        f"\ncached thumbnail vs original (median): "
        f"{statistics.median(originals) / statistics.median(cached):.1f}x faster, "
        f"{len(data) / len(thumb):.0f}x fewer bytes"
    )


if __name__ == "__main__":
    main()
