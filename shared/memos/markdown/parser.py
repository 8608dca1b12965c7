"""The Markdown dialect of memos: CommonMark + GFM (tables, strikethrough, task lists, bare links)
+ ``#tag``, on markdown-it-py.

Raw HTML is parsed (never rendered here) so that a ``#`` inside a tag's attributes is no tag.
"""

from __future__ import annotations

from markdown_it import MarkdownIt

from memos.markdown.gfm_linkify import GfmLinkify
from memos.markdown.tag_rule import tag_plugin
from memos.markdown.task_rule import task_list_plugin

_GFM_RULES = ["table", "strikethrough", "linkify"]


def build_parser(*, with_tags: bool = True) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "linkify": True})
    md.enable(_GFM_RULES)
    md.linkify = GfmLinkify()
    md.use(task_list_plugin)
    if with_tags:
        md.use(tag_plugin)
    return md
