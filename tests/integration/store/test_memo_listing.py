"""The memo lister: merged listings, one position cursor, the read budget (in-memory table)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from functions.memo.writing import MemoDraft, MemoWriter
from memos.store import keys
from memos.store.memo_listing import Listing, ListingQuery, Position

if TYPE_CHECKING:
    from memos.store import Stores
    from memos.store.memos import Memo


def seed(
    stores: Stores, count: int, *, visibility: str = "PUBLIC", same_second: bool = False
) -> list[Memo]:
    writer = MemoWriter(stores)
    memos = []
    for index in range(count):
        created = 1_700_000_000 + (0 if same_second else index * 60)
        memos.append(
            writer.create(1, f"m{index}", MemoDraft(f"memo {index}", visibility, created, created))
        )
    return memos


def read_all(
    stores: Stores, query: ListingQuery, *, size: int, budget: int
) -> tuple[list[str], int]:
    seen: list[str] = []
    after: Position | None = None
    pages = 0
    while True:
        page = stores.memo_lister.page(query, size=size, after=after, budget=budget)
        pages += 1
        seen += [memo.uid for memo in page.memos]
        if page.next_position is None:
            return seen, pages
        after = page.next_position
        assert pages < 500


def test_a_tight_budget_gives_short_pages_that_still_cover_everything(
    memory_stores: Stores,
) -> None:
    # Given 40 memos of which every 7th matches a predicate DynamoDB can't check
    memos = seed(memory_stores, 40)
    wanted = {memo.uid for memo in memos if memo.id % 7 == 0}
    query = ListingQuery(
        (Listing(keys.creator_listing(1, "NORMAL")),), accept=lambda memo: memo.uid in wanted
    )

    # When read in pages of 2 with a budget of 5 items per page
    seen, pages = read_all(memory_stores, query, size=2, budget=5)

    # Then every match comes exactly once, newest first, over more (short) pages
    expected = [
        memo.uid for memo in sorted(memos, key=lambda m: -m.created_ts) if memo.uid in wanted
    ]
    assert seen == expected
    assert pages > len(expected) // 2


def test_merged_listings_return_a_memo_in_two_of_them_once(memory_stores: Stores) -> None:
    writer = MemoWriter(memory_stores)
    for index in range(6):
        writer.create(
            1,
            f"t{index}",
            MemoDraft(
                f"#a #b memo {index}", "PRIVATE", 1_700_000_000 + index, 1_700_000_000 + index
            ),
        )
    query = ListingQuery(
        (
            Listing(keys.creator_tag_listing(1, "NORMAL", "a")),
            Listing(keys.creator_tag_listing(1, "NORMAL", "b")),
        )
    )
    seen, _ = read_all(memory_stores, query, size=4, budget=100)
    assert seen == [f"t{index}" for index in reversed(range(6))]


def test_ascending_with_equal_times_keeps_highest_id_first_across_pages(
    memory_stores: Stores,
) -> None:
    memos = seed(memory_stores, 7, same_second=True)
    query = ListingQuery((Listing(keys.creator_listing(1, "NORMAL")),), descending=False)
    seen, _ = read_all(memory_stores, query, size=2, budget=100)
    assert seen == [memo.uid for memo in sorted(memos, key=lambda m: -m.id)]


def test_a_time_range_is_a_key_condition(memory_stores: Stores) -> None:
    memos = seed(memory_stores, 10)
    query = ListingQuery(
        (Listing(keys.creator_listing(1, "NORMAL")),),
        earliest=memos[3].created_ts,
        latest=memos[5].created_ts,
    )
    page = memory_stores.memo_lister.page(query, size=10, after=None, budget=100)
    assert [memo.uid for memo in page.memos] == ["m5", "m4", "m3"]
    assert page.scanned == 3
