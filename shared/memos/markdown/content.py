"""What a memo's Markdown yields on every write: tags, the four properties and the snippet."""

from __future__ import annotations

from msgspec import Struct


class DerivedContent(Struct, frozen=True):
    tags: tuple[str, ...]  # document order, de-duplicated by exact string, case kept
    has_link: bool
    has_task_list: bool
    has_code: bool
    has_incomplete_tasks: bool
    snippet: str
