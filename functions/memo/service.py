"""MemoService: memos, comments, reactions, relations and memo attachments."""

from __future__ import annotations

from memos.api.v1 import memo_service_connect


class MemoService(memo_service_connect.MemoService):
    """Serves memos.api.v1.MemoService.

    Methods not defined here answer UNIMPLEMENTED, naming the method, until the memos work
    fills them in.
    """
