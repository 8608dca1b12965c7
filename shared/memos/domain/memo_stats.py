"""How a memo write changes its creator's stats (GetUserStats, ListAllUserStats).

A memo counts when it is top-level (not a comment) and NORMAL; it counts in the stats item of its
visibility. A write removes the old version's contribution and adds the new one's, so a content
edit, a visibility change, archiving, pinning or deleting all leave exact counts. Used by every
writer of memos (the memo function, the import tool).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from msgspec.structs import replace

from memos.domain.enums import State
from memos.store.user_stats import MemoTimes

if TYPE_CHECKING:
    from memos.store.memos import Memo
    from memos.store.user_stats import UserStats


def counts(memo: Memo | None) -> bool:
    return memo is not None and memo.state == State.NORMAL and not memo.is_comment


def affected_stats(old: Memo | None, new: Memo | None) -> list[tuple[int, str]]:
    """The (creator id, visibility) stats items a write from ``old`` to ``new`` changes."""
    found: list[tuple[int, str]] = []
    for memo in (old, new):
        if counts(memo) and memo is not None:
            key = (memo.creator_id, memo.visibility)
            if key not in found:
                found.append(key)
    unchanged = (
        old is not None
        and new is not None
        and counts(old)
        and counts(new)
        and (old.creator_id, old.visibility) == (new.creator_id, new.visibility)
        and _contribution_equal(old, new)
    )
    return [] if unchanged else found


def apply_write(stats: UserStats, old: Memo | None, new: Memo | None) -> UserStats:
    """``stats`` with ``old`` taken out and ``new`` put in (each only if it counts there)."""
    result = stats
    for memo, sign in ((old, -1), (new, 1)):
        if counts(memo) and memo is not None and _belongs(stats, memo):
            result = _add(result, memo, sign)
    return result


def _belongs(stats: UserStats, memo: Memo) -> bool:
    return stats.user_id == memo.creator_id and stats.visibility == memo.visibility


def _contribution_equal(old: Memo, new: Memo) -> bool:
    fields = (
        "tags",
        "pinned",
        "has_link",
        "has_code",
        "has_task_list",
        "has_incomplete_tasks",
        "created_ts",
        "updated_ts",
        "id",
    )
    return all(getattr(old, name) == getattr(new, name) for name in fields)


def _add(stats: UserStats, memo: Memo, sign: int) -> UserStats:
    tag_count: Counter[str] = Counter(stats.tag_count)
    for tag in memo.tags:
        tag_count[tag] += sign
    pinned = list(stats.pinned_memo_ids)
    times = list(stats.memo_times)
    pair = MemoTimes(memo.created_ts, memo.updated_ts)
    if sign > 0:
        if memo.pinned and memo.id not in pinned:
            pinned.append(memo.id)
        times.append(pair)
    else:
        if memo.id in pinned:
            pinned.remove(memo.id)
        if pair in times:
            times.remove(pair)
    return replace(
        stats,
        total=max(stats.total + sign, 0),
        link_count=max(stats.link_count + sign * memo.has_link, 0),
        code_count=max(stats.code_count + sign * memo.has_code, 0),
        todo_count=max(stats.todo_count + sign * memo.has_task_list, 0),
        undo_count=max(stats.undo_count + sign * memo.has_incomplete_tasks, 0),
        tag_count={tag: count for tag, count in tag_count.items() if count > 0},
        pinned_memo_ids=tuple(pinned),
        memo_times=tuple(sorted(times, key=lambda t: t.created_at, reverse=True)),
    )
