"""Per-user memo statistics, kept per visibility and read in O(1) of the number of memos.

``USER#<id>`` / ``STATS#<VISIBILITY>`` (PUBLIC, PROTECTED, PRIVATE) holds the counts, the tag
map, the pinned memo ids and every counted memo's (created, updated) time pair, packed as
big-endian signed 64-bit integers in one binary attribute (16 bytes per memo). The memo write
path maintains these items (read-modify-write guarded by ``version``); GetUserStats reads at
most three of them in one BatchGetItem and ListAllUserStats is one Query on GSI1 ``USERSTATS``.
"""

from __future__ import annotations

import struct
from collections import Counter
from typing import TYPE_CHECKING, Any

from msgspec import Struct, field

from memos.domain.enums import VISIBILITIES
from memos.store import keys
from memos.store.schema import GSI1
from memos.store.table import ConditionFailedError, attribute_equals, item_absent

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from memos.store.codec import Item
    from memos.store.table import DynamoTable
    from memos.store.writes import Writes

_PAIR = struct.Struct(">qq")


class MemoTimes(Struct, frozen=True):
    created_at: int
    updated_at: int


class UserStats(Struct, frozen=True):
    """Counted memos (NORMAL, not comments) of one creator; ``visibility`` "" when merged."""

    user_id: int
    visibility: str
    total: int = 0
    link_count: int = 0
    code_count: int = 0
    todo_count: int = 0
    undo_count: int = 0
    tag_count: Mapping[str, int] = field(default_factory=dict)
    pinned_memo_ids: tuple[int, ...] = ()
    memo_times: tuple[MemoTimes, ...] = ()  # newest created first
    version: int = 0


class UserStatsStore:
    def __init__(self, table: DynamoTable) -> None:
        self._table = table

    def get(self, user_id: int, visibilities: Sequence[str] = VISIBILITIES) -> list[UserStats]:
        """One entry per requested visibility (zeros when nothing is stored): one BatchGetItem."""
        wanted = [_checked(visibility) for visibility in visibilities]
        found = {
            str(item["visibility"]): _stats_from_item(item)
            for item in self._table.batch_get(
                [keys.user_stats_key(user_id, visibility) for visibility in wanted]
            )
        }
        return [found.get(visibility, UserStats(user_id, visibility)) for visibility in wanted]

    def list_all(self) -> list[UserStats]:
        """Every stored stats item of every user: one Query on GSI1 (pages followed)."""
        items = self._table.query_all(keys.USER_STATS_INDEX_PARTITION, index=GSI1)
        return [_stats_from_item(item) for item in items]

    def save(self, stats: UserStats) -> UserStats | None:
        """Write ``stats`` if the stored version is still ``stats.version``.

        Returns the saved stats (version + 1), or None when someone else saved first: read
        again, re-apply the change, retry.
        """
        saved = UserStats(
            **{name: getattr(stats, name) for name in _FIELDS if name != "version"},
            version=stats.version + 1,
        )
        condition = (
            item_absent() if stats.version == 0 else attribute_equals("version", stats.version)
        )
        try:
            self._table.put(_stats_item(saved), condition=condition)
        except ConditionFailedError:
            return None
        return saved

    def add_save(self, writes: Writes, stats: UserStats) -> None:
        """Add the write of ``stats`` to a transaction, on the same version condition as
        :meth:`save` (label ``stats:<user id>:<visibility>``)."""
        saved = UserStats(
            **{name: getattr(stats, name) for name in _FIELDS if name != "version"},
            version=stats.version + 1,
        )
        condition = (
            item_absent() if stats.version == 0 else attribute_equals("version", stats.version)
        )
        writes.put(
            _stats_item(saved),
            condition=condition,
            label=f"stats:{stats.user_id}:{stats.visibility}",
        )


def merge_user_stats(user_id: int, parts: Iterable[UserStats]) -> UserStats:
    """The sum of several visibilities' stats of one user (times newest created first)."""
    parts = list(parts)
    tags: Counter[str] = Counter()
    for part in parts:
        tags.update(part.tag_count)
    times = sorted(
        (times for part in parts for times in part.memo_times),
        key=lambda times: times.created_at,
        reverse=True,
    )
    return UserStats(
        user_id=user_id,
        visibility="",
        total=sum(part.total for part in parts),
        link_count=sum(part.link_count for part in parts),
        code_count=sum(part.code_count for part in parts),
        todo_count=sum(part.todo_count for part in parts),
        undo_count=sum(part.undo_count for part in parts),
        tag_count=dict(tags),
        pinned_memo_ids=tuple(memo_id for part in parts for memo_id in part.pinned_memo_ids),
        memo_times=tuple(times),
    )


_FIELDS = (
    "user_id",
    "visibility",
    "total",
    "link_count",
    "code_count",
    "todo_count",
    "undo_count",
    "tag_count",
    "pinned_memo_ids",
    "memo_times",
    "version",
)


def _checked(visibility: str) -> str:
    if visibility not in VISIBILITIES:
        raise ValueError(f"invalid visibility: {visibility!r}")
    return visibility


def _stats_item(stats: UserStats) -> dict[str, Any]:
    packed = b"".join(_PAIR.pack(t.created_at, t.updated_at) for t in stats.memo_times)
    return {
        **keys.user_stats_key(stats.user_id, stats.visibility).attributes(),
        **keys.user_stats_index_key(stats.user_id, stats.visibility).attributes(),
        "entity": "USER_STATS",
        "user_id": stats.user_id,
        "visibility": stats.visibility,
        "total": stats.total,
        "link_count": stats.link_count,
        "code_count": stats.code_count,
        "todo_count": stats.todo_count,
        "undo_count": stats.undo_count,
        "tag_count": dict(stats.tag_count),
        "pinned_memo_ids": list(stats.pinned_memo_ids),
        "memo_times": packed or None,
        "version": stats.version,
    }


def _stats_from_item(item: Item) -> UserStats:
    packed = bytes(item.get("memo_times", b""))
    times = sorted(
        (MemoTimes(created, updated) for created, updated in _PAIR.iter_unpack(packed)),
        key=lambda times: times.created_at,
        reverse=True,
    )
    return UserStats(
        user_id=int(item["user_id"]),
        visibility=str(item["visibility"]),
        total=int(item.get("total", 0)),
        link_count=int(item.get("link_count", 0)),
        code_count=int(item.get("code_count", 0)),
        todo_count=int(item.get("todo_count", 0)),
        undo_count=int(item.get("undo_count", 0)),
        tag_count={str(tag): int(count) for tag, count in item.get("tag_count", {}).items()},
        pinned_memo_ids=tuple(int(memo_id) for memo_id in item.get("pinned_memo_ids", [])),
        memo_times=tuple(times),
        version=int(item.get("version", 0)),
    )
