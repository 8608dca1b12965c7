"""The memo snippet: plain text gathered from the parsed memo, then cut to a few words.

Units: the limit counts code points (Memos counts bytes for "is it too long" and code points for
the cut, which in CJK text could cut without the ``" ..."``; see docs/decisions.md).
"""

from __future__ import annotations

SNIPPET_LIMIT = 64
_WHITESPACE = " \t\n\r"
_ELLIPSIS = " ..."


def truncate_snippet(text: str, limit: int) -> str:
    """At most ``limit`` code points, cut back to a word boundary with ``" ..."``; trimmed.

    Text within the limit is only trimmed. Longer text is cut to ``limit`` code points, then back
    to its last whitespace (unless that is the very first character), and ``" ..."`` is added.
    """
    if len(text) > limit:
        cut = text[:limit]
        last_whitespace = max(cut.rfind(character) for character in _WHITESPACE)
        if last_whitespace > 0:
            cut = cut[:last_whitespace]
        text = cut + _ELLIPSIS
    return text.strip()


class SnippetText:
    """Text fed in document order, one space between blocks, until twice the limit is reached."""

    def __init__(self, limit: int = SNIPPET_LIMIT) -> None:
        self._limit = limit
        self._parts: list[str] = []
        self._length = 0
        self._space_due = False

    @property
    def full(self) -> bool:
        return self._length > 2 * self._limit

    def add(self, text: str) -> None:
        if not text or self.full:
            return
        if self._space_due and self._length:
            self._parts.append(" ")
            self._length += 1
        self._space_due = False
        self._parts.append(text)
        self._length += len(text)

    def separate(self) -> None:
        """What comes next belongs to another block or line: one space before it."""
        self._space_due = True

    @property
    def text(self) -> str:
        """Everything collected, before truncation."""
        return "".join(self._parts)

    def snippet(self) -> str:
        return truncate_snippet(self.text, self._limit)
