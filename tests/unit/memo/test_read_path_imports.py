"""The memo function's read paths never load the Markdown parser (spec: compute on write), nor
the write path's own modules."""

from __future__ import annotations

from tests.fresh_interpreter import modules_loaded_by

PROBE = """
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
"""
PARSER = ("memos.markdown", "markdown_it", "linkify_it")
WRITE_PATH = ("functions.memo.writing", "memos.store.writes", "memos.domain.memo_stats")


def test_listing_and_reading_memos_never_import_the_markdown_parser() -> None:
    # Given a fresh interpreter / When it lists and reads memos through the memo app
    loaded = modules_loaded_by(PROBE, env={"MEMOS_LOG_LEVEL": "WARNING"}, timeout=120)

    # Then nothing of the Markdown parser was imported
    assert sorted(name for name in loaded if name.startswith(PARSER)) == []


def test_listing_and_reading_memos_never_import_the_write_path() -> None:
    loaded = modules_loaded_by(PROBE, env={"MEMOS_LOG_LEVEL": "WARNING"}, timeout=120)

    assert sorted(name for name in loaded if name.startswith(WRITE_PATH)) == []
