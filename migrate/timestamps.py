"""RFC 3339 timestamps as Memos' JSON columns hold them, to and from Unix seconds."""

from __future__ import annotations

import re
from datetime import UTC, datetime

_RFC3339 = re.compile(
    r"^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$"
)


def parse_timestamp(text: str) -> int:
    """Whole Unix seconds of an RFC 3339 time (fractions dropped); ValueError when malformed."""
    match = _RFC3339.match(text.strip())
    if match is None:
        raise ValueError(f"not an RFC 3339 time: {text!r}")
    day, clock, _, zone = match.groups()
    offset = "+00:00" if zone in ("Z", "z") else zone
    return int(datetime.fromisoformat(f"{day}T{clock}{offset}").timestamp())


def format_timestamp(seconds: int) -> str:
    """Unix seconds as protojson writes a Timestamp without fraction: ``2025-01-01T08:00:00Z``."""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
