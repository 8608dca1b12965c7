"""The tag paths stored with a memo, so ``tag in ["x"]`` is an exact list lookup."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable


def tag_paths(tags: Iterable[str]) -> list[str]:
    """Every tag and every ancestor of it (``a/b/c`` -> ``a/b/c``, ``a/b``, ``a``), sorted.

    These are exactly the values ``x`` for which ``tag in ["x"]`` matches the memo: a tag
    equal to ``x`` or starting with ``x + "/"``.
    """
    paths: set[str] = set()
    for tag in tags:
        paths.add(tag)
        slash = tag.find("/")
        while slash >= 0:
            paths.add(tag[:slash])
            slash = tag.find("/", slash + 1)
    return sorted(paths)
