"""The ``#tag`` syntax on plain text: which characters make a tag's body and how long it may be.

A tag is ``#`` followed by the longest run (at most 100 code points) of Unicode letters, numbers
and symbols (math, currency, modifier, other: emoji and ``+ = < > | ~ ^ $ ` `` among them) and
``_ - / &``. Anything else ends it. ``#`` followed by nothing, a space or another ``#`` starts no
tag, because none of those is a body character.
"""

from __future__ import annotations

import unicodedata

TAG_MARK = "#"
TAG_MAX_LENGTH = 100  # code points
_EXTRA_BODY_CHARACTERS = frozenset("_-/&")
_BODY_CATEGORY_CLASSES = frozenset("LNS")  # letters, numbers, symbols


def is_tag_body_character(character: str) -> bool:
    return (
        character in _EXTRA_BODY_CHARACTERS
        or unicodedata.category(character)[0] in _BODY_CATEGORY_CLASSES
    )


def tag_body_end(text: str, start: int, stop: int | None = None) -> int:
    """Where the tag body that begins at ``text[start]`` ends (``start`` when there is none)."""
    limit = min(len(text) if stop is None else stop, start + TAG_MAX_LENGTH)
    end = start
    while end < limit and is_tag_body_character(text[end]):
        end += 1
    return end


def read_tag(text: str, position: int = 0) -> str | None:
    """The tag whose ``#`` is at ``text[position]``, or ``None`` when no tag starts there."""
    if text[position : position + 1] != TAG_MARK:
        return None
    end = tag_body_end(text, position + 1)
    return text[position + 1 : end] or None
