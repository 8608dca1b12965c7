"""Bare-link recognition limited to what GFM autolinks, for markdown-it's ``linkify`` rules.

linkify-it on its own also links bare host names (``example.com``) and ``//host`` paths. GFM
(and Memos' parser) links only ``http(s)://`` and ``ftp://`` URLs, ``www.`` hosts and e-mail
addresses, and what is linked here drops out of the snippet and can't hold a tag, so the rest is
filtered away.
"""

from __future__ import annotations

from typing import Protocol

from linkify_it import LinkifyIt  # type: ignore[import-untyped]  # linkify-it-py ships no types

_LINKED_SCHEMAS = frozenset({"http:", "https:", "ftp:", "mailto:"})
_WWW = "www."


class LinkMatch(Protocol):
    """The parts of a linkify-it match that markdown-it and the tag rule read."""

    schema: str
    index: int
    last_index: int
    raw: str
    text: str
    url: str


def _is_gfm_autolink(match: LinkMatch) -> bool:
    if match.schema:
        return match.schema in _LINKED_SCHEMAS
    return match.raw[: len(_WWW)].lower() == _WWW


class GfmLinkify:
    """linkify-it's ``pretest``, ``test``, ``match`` and ``match_at_start``, GFM links only."""

    def __init__(self) -> None:
        self._linkify = LinkifyIt()

    def pretest(self, text: str) -> bool:
        return bool(self._linkify.pretest(text))

    def test(self, text: str) -> bool:
        """A cheap yes that may be wrong (``match`` filters); markdown-it calls ``match`` next."""
        return bool(self._linkify.test(text))

    def match(self, text: str) -> list[LinkMatch] | None:
        found: list[LinkMatch] = self._linkify.match(text) or []
        kept = [match for match in found if _is_gfm_autolink(match)]
        return kept or None

    def match_at_start(self, text: str) -> LinkMatch | None:
        match: LinkMatch | None = self._linkify.match_at_start(text)
        return match if match is not None and _is_gfm_autolink(match) else None
