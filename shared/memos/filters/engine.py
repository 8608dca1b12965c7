"""Filter text to condition tree: Memos' checks, then parse, type-check and compile."""

from __future__ import annotations

from typing import TYPE_CHECKING

from memos.filters.checker import check
from memos.filters.compiler import compile_condition
from memos.filters.diagnostics import CelDiagnostic, FilterCompileError, cel_error
from memos.filters.legacy import rewrite_numeric_logical_operands
from memos.filters.parser import parse

if TYPE_CHECKING:
    from memos.filters.ir import Node
    from memos.filters.schema import Schema


def compile_filter(text: str, schema: Schema, *, now: int) -> Node:
    """The condition tree of a non-empty filter; raises :class:`FilterCompileError`."""
    if not text.strip():
        raise FilterCompileError("filter expression is empty")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise FilterCompileError("filter expression is not valid UTF-8") from None
    source = rewrite_numeric_logical_operands(text)
    try:
        expr = parse(source)
    except CelDiagnostic as diagnostic:
        raise cel_error(source, [diagnostic]) from None
    diagnostics = check(expr, schema)
    if diagnostics:
        raise cel_error(source, diagnostics)
    return compile_condition(expr, schema, now=now)
