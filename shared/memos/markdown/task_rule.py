"""GFM task list checkboxes for markdown-it: a ``task_checkbox`` token with ``meta["checked"]``.

A list item whose first paragraph starts with ``[ ]``, ``[x]`` or ``[X]`` is a task; as in Memos'
parser the marker may stand alone (``- [ ]``) and the whitespace after it is part of it. The
token goes first in the paragraph's inline children and the marker leaves the text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from markdown_it.token import Token

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore

TASK_CHECKBOX_TYPE = "task_checkbox"
_MARKER = re.compile(r"\[([ \t\n\f\rxX])\][ \t\n\f\r]*")
_CHECKED = frozenset("xX")


def _task_marker_owner(tokens: list[Token], index: int) -> bool:
    """Is ``tokens[index]`` the inline content of a list item's first paragraph?"""
    return (
        index >= 2
        and tokens[index].type == "inline"
        and tokens[index - 1].type == "paragraph_open"
        and tokens[index - 2].type == "list_item_open"
    )


def task_checkbox_rule(state: StateCore) -> None:
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if not _task_marker_owner(tokens, index) or not token.children:
            continue
        first = token.children[0]
        marker = _MARKER.match(first.content) if first.type == "text" else None
        if marker is None:
            continue
        first.content = first.content[marker.end() :]
        checkbox = Token(TASK_CHECKBOX_TYPE, "input", 0)
        checkbox.meta = {"checked": marker.group(1) in _CHECKED}
        token.children.insert(0, checkbox)


def task_list_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push(TASK_CHECKBOX_TYPE, task_checkbox_rule)
