"""The body Memos POSTs to a webhook (spec memos.md §11), built from a stored memo.

Memos marshals its API structs with Go's ``encoding/json``: keys are the proto field names in
declaration order, zero values are left out, enums are numbers, timestamps ``{"seconds": N}``,
``<``, ``>``, ``&``, U+2028 and U+2029 are escaped, floats are written the shortest way without
a trailing ``.0``. :func:`go_json` writes that form.

What the body holds: everything on the memo item (name, state, creator, the three times,
content, visibility, tags, pinned, property, parent, snippet, location). What it lacks compared
with Memos: ``attachments``, ``relations`` and ``reactions``, which live on the memo's extras
item and are left out rather than read for each delivery (a deleted memo's extras are gone by
the time the stream is read). ``display_time`` follows the instance's
``display_with_update_time`` as the dispatcher read it.
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from memos import names
from memos.domain.enums import State, Visibility

if TYPE_CHECKING:
    from memos.store.memos import Memo

STATE_NUMBERS: Final = {State.NORMAL.value: 1, State.ARCHIVED.value: 2}
VISIBILITY_NUMBERS: Final = {
    Visibility.PRIVATE.value: 1,
    Visibility.PROTECTED.value: 2,
    Visibility.PUBLIC.value: 3,
}
_HTML_ESCAPES: Final = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def memo_document(memo: Memo, *, display_with_update_time: bool = False) -> dict[str, Any]:
    """The ``memo`` object of the body, empty values left out, in Memos' key order."""
    document: dict[str, Any] = {
        "name": names.memo_name(memo.uid),
        "state": STATE_NUMBERS.get(memo.state, 1),
        "creator": names.user_name(memo.creator_id),
        "create_time": _timestamp(memo.created_ts),
        "update_time": _timestamp(memo.updated_ts),
        "display_time": _timestamp(
            memo.updated_ts if display_with_update_time else memo.created_ts
        ),
        "content": memo.content,
        "visibility": VISIBILITY_NUMBERS.get(memo.visibility, 1),
        "tags": list(memo.tags),
        "pinned": memo.pinned,
        "property": _omit_empty(
            {
                "has_link": memo.has_link,
                "has_task_list": memo.has_task_list,
                "has_code": memo.has_code,
                "has_incomplete_tasks": memo.has_incomplete_tasks,
            }
        ),
    }
    if memo.parent_uid is not None:
        document["parent"] = names.memo_name(memo.parent_uid)
    document["snippet"] = memo.snippet
    if memo.location is not None:
        document["location"] = _omit_empty(
            {
                "placeholder": memo.location.placeholder,
                "latitude": memo.location.latitude,
                "longitude": memo.location.longitude,
            }
        )
    return _omit_empty(document, keep=("property", "location"))


def webhook_body(url: str, activity_type: str, creator_id: int, memo: dict[str, Any]) -> bytes:
    """The whole request body: ``{"url", "activityType", "creator", "memo"}``."""
    return go_json(
        {
            "url": url,
            "activityType": activity_type,
            "creator": names.user_name(creator_id),
            "memo": memo,
        }
    ).encode()


def go_json(value: Any) -> str:  # noqa: PLR0911 - one return per JSON type
    """``value`` as Go's ``json.Marshal`` writes it (compact, HTML-safe, Go float format)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _go_float(value)
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
        for raw, escaped in _HTML_ESCAPES.items():
            text = text.replace(raw, escaped)
        return text
    if isinstance(value, dict):
        return "{" + ",".join(f"{go_json(str(k))}:{go_json(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(go_json(item) for item in value) + "]"
    raise TypeError(f"cannot encode {type(value).__name__}")


def _go_float(value: float) -> str:
    if not math.isfinite(value):
        raise ValueError("non-finite numbers have no JSON form")
    size = abs(value)
    if size == 0 or 1e-6 <= size < 1e21:
        text = format(Decimal(repr(value)), "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    text = repr(value)  # shortest digits with an exponent, e.g. 1e-07, 1.5e+25
    mantissa, exponent = text.split("e")
    sign, digits = exponent[0], exponent[1:]
    if sign == "-" and len(digits) == 2 and digits[0] == "0":
        digits = digits[1:]
    return f"{mantissa}e{sign}{digits}"


def _timestamp(seconds: int) -> dict[str, int]:
    return {"seconds": seconds} if seconds else {}


def _omit_empty(fields: dict[str, Any], keep: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        key: value
        for key, value in fields.items()
        if key in keep or value not in ("", 0, False, [], None)
    }
