"""The memo function's read paths never load the Markdown parser (spec: compute on write)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

PROBE = """
import sys
from functions.memo.service import MemoService
from memos.store.memory import memory_stores
from memos.rpc.app import create_service_app
from tests.asgi import call

app = create_service_app(MemoService(memory_stores()), cors_origins=[])
requests = (
    ("ListMemos", b'{"filter": "tag in [\\\\"x\\\\"]"}'),
    ("GetMemo", b'{"name": "memos/x"}'),
)
for method, body in requests:
    reply = call(app, "POST", "/memos.api.v1.MemoService/" + method, body=body,
                 headers={"content-type": "application/json"})
    assert reply.status in (200, 404), reply.body
parser = ("memos.markdown", "markdown_it", "linkify_it")
loaded = sorted(m for m in sys.modules if m.startswith(parser))
print(",".join(loaded))
"""


def test_listing_and_reading_memos_never_import_the_markdown_parser() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={"PYTHONPATH": f"{ROOT / 'shared'}:{ROOT}", "MEMOS_LOG_LEVEL": "WARNING"},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
