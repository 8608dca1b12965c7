"""ListMemos' ``order_by`` (spec memos.md §7.2): pinned first or not, which time, which way."""

from __future__ import annotations

from typing import Final

from msgspec import Struct

from memos.errors import InvalidArgumentError

_TIME_FIELDS: Final = ("display_time", "create_time", "name")
_SUPPORTED: Final = "pinned, display_time, create_time, update_time, name"


class MemoOrder(Struct, frozen=True):
    pinned_first: bool = False
    by_update_time: bool = False
    descending: bool = True


def parse_order_by(text: str, *, display_with_update_time: bool) -> MemoOrder:
    """The order ``text`` asks for; the instance setting turns every time order into update time."""
    if not text:
        return MemoOrder(by_update_time=display_with_update_time)
    if not text.strip():
        raise InvalidArgumentError("invalid order_by: empty order_by")
    pinned_first = False
    update_time_named = False
    descending: bool | None = None
    for part in text.split(","):
        words = part.split()
        if not words:
            continue
        field, direction = words[0], (words[1] if len(words) > 1 else "desc")
        if direction.lower() not in ("asc", "desc"):
            raise InvalidArgumentError(
                f"invalid order_by: invalid order direction: {direction}, must be 'asc' or 'desc'"
            )
        is_desc = direction.lower() == "desc"
        if field == "pinned":
            pinned_first = True
        elif field == "update_time":
            update_time_named = True
            descending = is_desc
        elif field in _TIME_FIELDS:
            if not update_time_named:
                descending = is_desc
        else:
            raise InvalidArgumentError(
                f"invalid order_by: unsupported order field: {field}, "
                f"supported fields are: {_SUPPORTED}"
            )
    return MemoOrder(
        pinned_first=pinned_first,
        by_update_time=update_time_named or display_with_update_time,
        descending=True if descending is None else descending,
    )
