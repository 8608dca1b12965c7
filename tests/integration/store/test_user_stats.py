"""UserStatsStore: per-visibility stats read in one BatchGetItem or one GSI1 Query."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from memos.store.user_stats import MemoTimes, UserStats, merge_user_stats

if TYPE_CHECKING:
    from memos.store import Stores


def _count_calls(stores: Stores, operation: str) -> list[str]:
    calls: list[str] = []

    def record(**_: Any) -> None:
        calls.append(operation)

    stores.table.client.meta.events.register(f"before-call.dynamodb.{operation}", record)
    return calls


def test_unknown_user_has_zero_stats_for_every_visibility(stores: Stores) -> None:
    stats = stores.user_stats.get(42)
    assert [s.visibility for s in stats] == ["PUBLIC", "PROTECTED", "PRIVATE"]
    assert all(s.total == 0 and s.tag_count == {} and s.memo_times == () for s in stats)


def test_saved_stats_read_back_in_one_batch_get(stores: Stores) -> None:
    # Given public and private stats of one user
    public = UserStats(
        user_id=1,
        visibility="PUBLIC",
        total=2,
        link_count=1,
        code_count=1,
        todo_count=1,
        undo_count=0,
        tag_count={"test": 2},
        pinned_memo_ids=(7,),
        memo_times=(MemoTimes(100, 150), MemoTimes(200, 200)),
    )
    private = UserStats(
        user_id=1,
        visibility="PRIVATE",
        total=1,
        tag_count={"unique": 1},
        memo_times=(MemoTimes(300, 300),),
    )
    assert stores.user_stats.save(public) is not None
    assert stores.user_stats.save(private) is not None
    batch_gets = _count_calls(stores, "BatchGetItem")
    # When reading all three visibilities
    stats = stores.user_stats.get(1)
    # Then one BatchGetItem served them, newest memo first
    assert len(batch_gets) == 1
    by_visibility = {s.visibility: s for s in stats}
    assert by_visibility["PUBLIC"].tag_count == {"test": 2}
    assert by_visibility["PUBLIC"].memo_times == (MemoTimes(200, 200), MemoTimes(100, 150))
    assert by_visibility["PUBLIC"].pinned_memo_ids == (7,)
    assert by_visibility["PROTECTED"].total == 0
    merged = merge_user_stats(1, stats)
    assert merged.total == 3
    assert merged.tag_count == {"test": 2, "unique": 1}
    assert [t.created_at for t in merged.memo_times] == [300, 200, 100]
    assert (merged.link_count, merged.code_count, merged.todo_count) == (1, 1, 1)


def test_stale_save_loses_to_a_newer_one(stores: Stores) -> None:
    saved = stores.user_stats.save(UserStats(user_id=1, visibility="PUBLIC", total=1))
    assert saved is not None
    assert saved.version == 1
    assert stores.user_stats.save(UserStats(user_id=1, visibility="PUBLIC", total=5)) is None
    newer = stores.user_stats.save(UserStats(user_id=1, visibility="PUBLIC", total=2, version=1))
    assert newer is not None
    assert stores.user_stats.get(1, ["PUBLIC"])[0].total == 2


def test_list_all_reads_every_user_in_one_query(stores: Stores) -> None:
    for user_id in (1, 2, 3):
        stores.user_stats.save(UserStats(user_id=user_id, visibility="PUBLIC", total=user_id))
    stores.user_stats.save(UserStats(user_id=2, visibility="PROTECTED", total=9))
    queries = _count_calls(stores, "Query")
    listed = stores.user_stats.list_all()
    assert len(queries) == 1
    assert sorted((s.user_id, s.visibility, s.total) for s in listed) == [
        (1, "PUBLIC", 1),
        (2, "PROTECTED", 9),
        (2, "PUBLIC", 2),
        (3, "PUBLIC", 3),
    ]


def test_tag_counts_accumulate_per_tag(stores: Stores) -> None:
    # Memos' stats scenario: test, test, unique (the write side belongs to the memo path)
    stats = stores.user_stats.get(1, ["PUBLIC"])[0]
    for tags in (["test"], ["test"], ["unique"]):
        counts = dict(stats.tag_count)
        for tag in tags:
            counts[tag] = counts.get(tag, 0) + 1
        saved = stores.user_stats.save(
            UserStats(
                user_id=1,
                visibility="PUBLIC",
                total=stats.total + 1,
                tag_count=counts,
                version=stats.version,
            )
        )
        assert saved is not None
        stats = saved
    assert stores.user_stats.get(1, ["PUBLIC"])[0].tag_count == {"test": 2, "unique": 1}
