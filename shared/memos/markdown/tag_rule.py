"""The ``#tag`` inline rule for markdown-it: a ``tag`` token whose ``content`` is the tag body.

It runs wherever inline text is parsed (paragraphs, headings, list items, table cells, link
labels, image alt text), so code spans, link destinations, autolinks and raw HTML, which other
rules consume first, never hold a tag, and an escaped ``\\#`` reaches it as plain text. Bare URLs
are the exception: markdown-it links them after inline parsing, so a ``#`` inside one (a URL
fragment) is left as text here, for the linkify step to take with the rest of the URL.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from memos.markdown.tag_syntax import TAG_MARK, tag_body_end

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import StateInline

    from memos.markdown.gfm_linkify import GfmLinkify

TAG_TYPE = "tag"
_LINK_SPANS_KEY = "memos_bare_link_spans"  # per-parse cache in markdown-it's env


def _bare_link_spans(state: StateInline, linkify: GfmLinkify) -> list[tuple[int, int]]:
    """Where bare links lie in this inline source, found once per source and parse."""
    cache: dict[str, list[tuple[int, int]]] = state.env.setdefault(_LINK_SPANS_KEY, {})
    spans = cache.get(state.src)
    if spans is None:
        matches = linkify.match(state.src) if linkify.pretest(state.src) else None
        spans = [(match.index, match.last_index) for match in matches or ()]
        cache[state.src] = spans
    return spans


def _inside_bare_link(state: StateInline, position: int) -> bool:
    linkify = state.md.linkify
    if state.linkLevel > 0 or not state.md.options.linkify or linkify is None:
        return False
    return any(start <= position < end for start, end in _bare_link_spans(state, linkify))


def tag_rule(state: StateInline, silent: bool) -> bool:
    start = state.pos
    if state.src[start] != TAG_MARK:
        return False
    end = tag_body_end(state.src, start + 1, state.posMax)
    if end == start + 1 or _inside_bare_link(state, start):
        return False
    if not silent:
        token = state.push(TAG_TYPE, "", 0)
        token.content = state.src[start + 1 : end]
        token.markup = TAG_MARK
    state.pos = end
    return True


def tag_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.push(TAG_TYPE, tag_rule)
