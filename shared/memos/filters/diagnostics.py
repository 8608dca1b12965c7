"""Why a filter was rejected, worded like Memos: CEL diagnostics and engine messages.

A :class:`FilterCompileError` carries the *detail*, the text that follows
``invalid filter: failed to compile filter: `` in the message the client sees. Syntax and type
errors are CEL diagnostics: one more ``failed to compile filter: `` prefix, then
``ERROR: <input>:line:col: message`` and the offending line with a caret under the column.
"""

from __future__ import annotations


class FilterCompileError(Exception):
    """A filter the engine rejects; ``detail`` is the reason as the client reads it."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class CelDiagnostic(Exception):
    """A syntax or type error at ``offset`` (code points into the filter text)."""

    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message


def cel_error(source: str, diagnostics: list[CelDiagnostic]) -> FilterCompileError:
    """The engine error for CEL diagnostics, each shown with its line, column and caret."""
    shown = "\n".join(_display(source, diagnostic) for diagnostic in diagnostics)
    return FilterCompileError(f"failed to compile filter: {shown}")


def _display(source: str, diagnostic: CelDiagnostic) -> str:
    offset = min(max(diagnostic.offset, 0), len(source))
    line_start = source.rfind("\n", 0, offset) + 1
    line_end = source.find("\n", offset)
    if line_end < 0:
        line_end = len(source)
    line = source.count("\n", 0, offset) + 1
    column = offset - line_start
    snippet = source[line_start:line_end].rstrip("\r").replace("\t", " ")
    return (
        f"ERROR: <input>:{line}:{column + 1}: {diagnostic.message}\n"
        f" | {snippet}\n"
        f" | {'.' * column}^"
    )
