"""Memo and attachment records for filter tests, and a helper that filters a list of them."""

from __future__ import annotations

from typing import Any

from memos.filters import compile_attachment_filter, compile_memo_filter, evaluate

NOW = 1_704_067_200  # 2024-01-01T00:00:00Z


def memo(content: str = "memo", **fields: Any) -> dict[str, Any]:
    """A stored memo as ``evaluate`` sees it: PUBLIC, by user 1, created now, no tags or flags."""
    return {
        "content": content,
        "creator_id": 1,
        "created_ts": NOW,
        "updated_ts": NOW,
        "pinned": False,
        "visibility": "PUBLIC",
        "tags": [],
        "has_link": False,
        "has_task_list": False,
        "has_code": False,
        "has_incomplete_tasks": False,
        **fields,
    }


def attachment(filename: str, **fields: Any) -> dict[str, Any]:
    return {
        "filename": filename,
        "mime_type": "application/octet-stream",
        "create_time": NOW,
        "memo_id": None,
        **fields,
    }


def memos_matching(text: str, memos: list[dict[str, Any]], *, now: int = NOW) -> list[str]:
    """The contents of the memos that ``text`` matches, in order."""
    node = compile_memo_filter(text, now=now)
    return [record["content"] for record in memos if evaluate(node, record)]


def attachments_matching(
    text: str, attachments: list[dict[str, Any]], *, now: int = NOW
) -> list[str]:
    """The filenames of the attachments that ``text`` matches, in order."""
    node = compile_attachment_filter(text, now=now)
    return [record["filename"] for record in attachments if evaluate(node, record)]
