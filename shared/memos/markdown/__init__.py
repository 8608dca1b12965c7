"""Derived memo content: tags, properties and snippet, from a real Markdown parse of the content.

``derive_content`` loads the parser on first use (markdown-it-py and linkify-it-py, a noticeable
import), so only write paths pay for it; ``tag_paths`` and ``truncate_snippet`` are light.
"""

from __future__ import annotations

from memos.markdown.content import DerivedContent
from memos.markdown.snippet import truncate_snippet
from memos.markdown.tag_paths import tag_paths

__all__ = ["DerivedContent", "derive_content", "tag_paths", "truncate_snippet"]


def derive_content(content: str) -> DerivedContent:
    """Tags (document order, exact-string de-duplication), the four properties, the snippet."""
    from memos.markdown.derive import derive  # noqa: PLC0415  # the parser loads on first write

    return derive(content)
