"""The memo and attachment filter language: Memos' CEL subset, compiled to a condition tree.

``compile_memo_filter`` / ``compile_attachment_filter`` turn filter text into a normalised
:mod:`memos.filters.ir` tree (``now()`` folded with the ``now`` given), ``evaluate`` matches a
record against it, and :func:`memos.filters.dynamo.split_for_dynamodb` (imported on its own,
it needs the store) pushes what it can into a DynamoDB FilterExpression. A rejected filter
raises :class:`memos.errors.InvalidArgumentError` with Memos' message.

Importing this package costs only the standard library and little of it: the parser, checker
and compiler load on the first compile, and :mod:`memos.errors` when a filter is rejected.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from memos.filters.evaluate import evaluate
from memos.filters.fold import TRUE, conjuncts
from memos.filters.schema import ATTACHMENT_SCHEMA, MEMO_SCHEMA

if TYPE_CHECKING:
    from memos.errors import InvalidArgumentError
    from memos.filters.ir import Node
    from memos.filters.schema import Schema

__all__ = [
    "ATTACHMENT_SCHEMA",
    "MEMO_SCHEMA",
    "compile_attachment_filter",
    "compile_memo_filter",
    "conjuncts",
    "evaluate",
    "validate_memo_filter",
]


def compile_memo_filter(text: str, *, now: int) -> Node:
    """The condition tree of a ListMemos filter; ``""`` matches everything."""
    return _compile(text, MEMO_SCHEMA, now)


def compile_attachment_filter(text: str, *, now: int) -> Node:
    """The condition tree of a ListAttachments filter; ``""`` matches everything."""
    return _compile(text, ATTACHMENT_SCHEMA, now)


def validate_memo_filter(text: str) -> None:
    """Check a shortcut's filter (stored verbatim); an empty one is refused."""
    if text == "":
        raise _invalid_argument("invalid filter: filter cannot be empty")
    _compile(text, MEMO_SCHEMA, int(time.time()))


def _compile(text: str, schema: Schema, now: int) -> Node:
    if text == "":
        return TRUE
    # Imported here: code that only evaluates or plans over condition trees never parses.
    from memos.filters.diagnostics import FilterCompileError  # noqa: PLC0415
    from memos.filters.engine import compile_filter  # noqa: PLC0415

    try:
        return compile_filter(text, schema, now=now)
    except FilterCompileError as error:
        raise _invalid_argument(
            f"invalid filter: failed to compile filter: {error.detail}"
        ) from None


def _invalid_argument(message: str) -> InvalidArgumentError:
    # Imported here: memos.errors loads connectrpc, and a valid filter never needs it.
    from memos.errors import InvalidArgumentError  # noqa: PLC0415

    return InvalidArgumentError(message)
