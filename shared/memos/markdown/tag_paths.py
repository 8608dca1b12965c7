"""Every tag with its ancestors, the keys a hierarchical tag filter (``tag in ["a"]``) looks up."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

_SEPARATOR = "/"


def tag_paths(tags: Iterable[str]) -> tuple[str, ...]:
    """``a/b/c`` gives ``a``, ``a/b`` and ``a/b/c``; de-duplicated, first occurrence first.

    A tag matches a filter entry when it equals it or starts with it plus ``/``, so the paths of
    a tag are the tag and every prefix that ends just before one of its slashes. Empty prefixes
    (from a leading slash) are left out: no filter entry is empty.
    """
    seen: dict[str, None] = {}
    for tag in tags:
        for index, character in enumerate(tag):
            if character == _SEPARATOR and index > 0:
                seen.setdefault(tag[:index])
        if tag:
            seen.setdefault(tag)
    return tuple(seen)
