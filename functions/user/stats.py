"""GetUserStats and ListAllUserStats: a creator's memo statistics as the caller may count them.

Which memos a viewer counts is the shared visibility rule (:mod:`memos.domain.visibility`).
Reads are O(1) in the number of memos: at most three stats items per creator (one per
visibility), kept up to date by the memo write path.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from memos.domain.visibility import visible_to
from memos.store.user_stats import merge_user_stats

if TYPE_CHECKING:
    from memos.store.user_stats import UserStats, UserStatsStore


def user_stats(store: UserStatsStore, viewer_id: int | None, creator_id: int) -> UserStats:
    """One creator's stats as the viewer may see them (zeros for an unknown creator)."""
    parts = store.get(creator_id, visible_to(viewer_id, creator_id))
    return merge_user_stats(creator_id, parts)


def all_user_stats(store: UserStatsStore, viewer_id: int | None) -> list[UserStats]:
    """Every creator with at least one memo the viewer may count, by creator id."""
    parts: defaultdict[int, list[UserStats]] = defaultdict(list)
    for stats in store.list_all():
        if stats.visibility in visible_to(viewer_id, stats.user_id):
            parts[stats.user_id].append(stats)
    merged = (merge_user_stats(creator_id, found) for creator_id, found in sorted(parts.items()))
    return [stats for stats in merged if stats.total > 0]
