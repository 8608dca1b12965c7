"""One parse and one walk of a memo's Markdown give its tags, properties and snippet.

Importing this module builds the parser (markdown-it with linkify's large patterns): write paths
only, through ``memos.markdown.derive_content``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from memos.markdown.content import DerivedContent
from memos.markdown.parser import build_parser
from memos.markdown.snippet import SNIPPET_LIMIT, SnippetText
from memos.markdown.tag_rule import TAG_TYPE
from memos.markdown.task_rule import TASK_CHECKBOX_TYPE

if TYPE_CHECKING:
    from collections.abc import Sequence

    from markdown_it.token import Token

_PARSER = build_parser()

_CODE_BLOCKS = frozenset({"fence", "code_block"})
# Closing one of these ends a run of text: what follows is set apart by a space.
_TEXT_BLOCK_ENDS = frozenset(
    {"paragraph_close", "heading_close", "list_item_close", "th_close", "td_close"}
)
_LINE_BREAKS = frozenset({"softbreak", "hardbreak"})
_AUTO_LINK = "auto"  # ``info`` of the links that autolinks and bare-URL linking make


class _ContentWalk:
    def __init__(self, snippet_limit: int) -> None:
        self.tags: dict[str, None] = {}
        self.has_link = False
        self.has_code = False
        self.has_task_list = False
        self.has_incomplete_tasks = False
        self.snippet = SnippetText(snippet_limit)

    def blocks(self, tokens: Sequence[Token]) -> None:
        for token in tokens:
            if token.type == "inline":
                self.inline(token.children or ())
            elif token.type in _CODE_BLOCKS:
                self.has_code = True
            elif token.type in _TEXT_BLOCK_ENDS:
                self.snippet.separate()

    def inline(self, tokens: Sequence[Token]) -> None:
        in_auto_link = False
        for token in tokens:
            kind = token.type
            if kind == "text":
                if not in_auto_link:
                    self.snippet.add(token.content)
            elif kind in _LINE_BREAKS:
                self.snippet.separate()
            elif kind == TAG_TYPE:
                self.tags.setdefault(token.content)
            elif kind == "code_inline":
                self.has_code = True
            elif kind == "link_open":
                in_auto_link = token.info == _AUTO_LINK
                self.has_link = self.has_link or not in_auto_link
            elif kind == "link_close":
                in_auto_link = False
            elif kind == "image":
                self.inline(token.children or ())
            elif kind == TASK_CHECKBOX_TYPE:
                self.has_task_list = True
                self.has_incomplete_tasks = self.has_incomplete_tasks or not token.meta["checked"]

    def result(self) -> DerivedContent:
        return DerivedContent(
            tags=tuple(self.tags),
            has_link=self.has_link,
            has_task_list=self.has_task_list,
            has_code=self.has_code,
            has_incomplete_tasks=self.has_incomplete_tasks,
            snippet=self.snippet.snippet(),
        )


def derive(content: str, *, snippet_limit: int = SNIPPET_LIMIT) -> DerivedContent:
    walk = _ContentWalk(snippet_limit)
    walk.blocks(_PARSER.parse(content))
    return walk.result()
