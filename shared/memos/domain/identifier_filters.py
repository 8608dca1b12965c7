"""An identity provider's identifier filter: a regular expression in Go's syntax, compiled once.

Memos searches the SSO identifier with it (unanchored: ``^...$`` anchors). It runs on RE2
(``google-re2``), the engine whose syntax Go's follows, which matches in linear time and bounds
what compiling may allocate, so no administrator's pattern can make a sign-in backtrack for ever
or exhaust a function's memory. Patterns are at most :data:`MAX_FILTER_LENGTH` characters and
their compiled program at most :data:`RE2_MAX_MEMORY` bytes; saving a provider and signing in
compile them through :func:`compile_identifier_filter`, so both accept the same patterns.
"""

from __future__ import annotations

from typing import Any, Final

MAX_FILTER_LENGTH: Final = 512
RE2_MAX_MEMORY: Final = 1024 * 1024


class InvalidIdentifierFilter(ValueError):
    """The pattern is too long or does not compile; ``str()`` says why in RE2's words."""


class IdentifierFilter:
    """A compiled filter; :meth:`allows` searches the identifier anywhere."""

    def __init__(self, compiled: Any) -> None:  # an re2 pattern object (untyped)
        self._compiled = compiled

    def allows(self, identifier: str) -> bool:
        return self._compiled.search(identifier) is not None


def compile_identifier_filter(pattern: str) -> IdentifierFilter:
    if len(pattern) > MAX_FILTER_LENGTH:
        raise InvalidIdentifierFilter(f"the pattern is longer than {MAX_FILTER_LENGTH} characters")
    # Loaded by the first pattern (a provider saved, an SSO sign-in), not by every cold start.
    import re2  # type: ignore[import-untyped]  # noqa: PLC0415 - google-re2 ships no types

    options = re2.Options()
    options.log_errors = False
    options.max_mem = RE2_MAX_MEMORY
    try:
        return IdentifierFilter(re2.compile(pattern, options))
    except re2.error as error:
        reason = error.args[0] if error.args else "invalid pattern"
        text = reason.decode(errors="replace") if isinstance(reason, bytes) else str(reason)
        raise InvalidIdentifierFilter(text[:200]) from None
