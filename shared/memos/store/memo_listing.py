"""Listing memos: ordered listings, merged, filtered, under a read budget, resumable anywhere.

A query names one or more listings (index partitions, see :mod:`memos.store.memos`), the time
it orders by (creation: GSI1, update: GSI2), the direction, an optional time range (a key
condition), a DynamoDB filter per listing, and a Python predicate for what DynamoDB can't check.

Every memo has one place in the order: ``(time, id)``, newest first for ``desc``; for ``asc``
times ascend while equal times keep the highest id first (Memos' tie-break is always id
descending). A page ends at a :class:`Position`, and the next page starts right after it in
every listing, so one position is the cursor of all merged listings at once: memos created
between pages can't shift anything, and a memo in two listings (two tags) is returned once.

Reading stops when the page is full (plus one memo, to know whether more follow) or when the
read budget is spent; then the page may be short and its position is as far as the reading got,
so the next page continues without skipping or repeating.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from msgspec import Struct, field

from memos.store import keys
from memos.store.memos import memo_from_item
from memos.store.schema import GSI1, GSI2
from memos.store.table import SortCondition

if TYPE_CHECKING:
    from collections.abc import Callable

    from memos.store.memos import Memo
    from memos.store.table import DynamoTable, Expression

MAX_ID = 9_999_999_999  # the largest padded id: a position before every id of one second
_MAX_FETCH = 1000


class Position(Struct, frozen=True, order=True):
    """A place in the order: right after the memo with this time and id."""

    time: int
    id: int


class Listing(Struct, frozen=True):
    partition: str
    filter: Expression | None = None


class ListingQuery(Struct, frozen=True):
    listings: tuple[Listing, ...]
    by_update_time: bool = False
    descending: bool = True
    earliest: int | None = None  # time >= earliest
    latest: int | None = None  # time <= latest
    accept: Callable[[Memo], bool] | None = None


class ListingPage(Struct):
    memos: list[Memo]
    next_position: Position | None  # None: nothing follows
    scanned: int = 0
    round_trips: int = 0


class _Reader(Struct):
    listing: Listing
    start_key: dict[str, str] | None = None
    exhausted: bool = False
    fetched: bool = False
    last_seen: Position | None = None
    ready: list[Memo] = field(default_factory=list)
    pending: list[Memo] = field(default_factory=list)  # ascending: an incomplete time group
    limit: int = 0


class MemoLister:
    def __init__(self, table: DynamoTable) -> None:
        self._table = table

    def page(
        self, query: ListingQuery, *, size: int, after: Position | None, budget: int
    ) -> ListingPage:
        """Up to ``size`` memos after ``after``, examining at most about ``budget`` items."""
        run = _Run(self._table, query, after, budget, first_fetch=size + 1)
        return run.collect(size)


class _Run:
    def __init__(
        self,
        table: DynamoTable,
        query: ListingQuery,
        after: Position | None,
        budget: int,
        first_fetch: int,
    ) -> None:
        self._table = table
        self._query = query
        self._after = after
        self._budget = budget
        # The first read of each listing shares one page between the listings; later reads
        # ask for what the page still needs, scaled by how many items each accepted one cost.
        share = -(-first_fetch // max(len(query.listings), 1)) + (len(query.listings) > 1)
        self._readers = [
            _Reader(listing, limit=min(share, _MAX_FETCH)) for listing in query.listings
        ]
        self._wanted = first_fetch
        self._consumed = 0
        self._sort = self._sort_condition()
        self.scanned = 0
        self.round_trips = 0

    # Order ---------------------------------------------------------------------------------

    def _time(self, memo: Memo) -> int:
        return memo.updated_ts if self._query.by_update_time else memo.created_ts

    def _rank(self, position: Position) -> tuple[int, int]:
        """Smaller rank = earlier in the page order."""
        if self._query.descending:
            return (-position.time, -position.id)
        return (position.time, -position.id)

    def _position(self, memo: Memo) -> Position:
        return Position(self._time(memo), memo.id)

    def _is_after_start(self, memo: Memo) -> bool:
        if self._after is None:
            return True
        return self._rank(self._position(memo)) > self._rank(self._after)

    # Key condition ---------------------------------------------------------------------------

    def _sort_condition(self) -> SortCondition | None:
        low = keys.time_order_key(self._query.earliest, 0) if self._query.earliest else None
        high = (
            keys.time_order_key(self._query.latest, MAX_ID)
            if self._query.latest is not None
            else None
        )
        after = self._after
        if after is not None:
            if self._query.descending:
                bound = (
                    keys.time_order_key(after.time, after.id - 1)
                    if after.id > 0
                    else keys.time_order_key(after.time - 1, MAX_ID)
                )
                high = bound if high is None else min(high, bound)
            else:
                bound = keys.time_order_key(after.time, 0)
                low = bound if low is None else max(low, bound)
        if low is not None and high is not None:
            return SortCondition("between", low, high)
        if high is not None:
            return SortCondition("<=", high)
        if low is not None:
            return SortCondition(">=", low)
        return None

    def _empty_range(self) -> bool:
        sort = self._sort
        return sort is not None and sort.operator == "between" and (sort.upper or "") < sort.value

    # Reading ---------------------------------------------------------------------------------

    def _fetch(self, reader: _Reader) -> None:
        index = GSI2 if self._query.by_update_time else GSI1
        page = self._table.query_page(
            reader.listing.partition,
            index=index,
            sort=self._sort,
            filter=reader.listing.filter,
            forward=not self._query.descending,
            limit=reader.limit,
            start=reader.start_key,
        )
        reader.fetched = True
        self.scanned += page.scanned
        self.round_trips += 1
        reader.start_key = page.last_key
        reader.exhausted = page.last_key is None
        if page.last_key is not None:
            sort_value = page.last_key.get(index.sort_key, "")
            reader.last_seen = _position_of_sort_key(sort_value)
        memos = [memo_from_item(item) for item in page.items]
        if self._query.descending:
            reader.ready.extend(memo for memo in memos if self._is_after_start(memo))
            return
        # Ascending: DynamoDB gives (time, id) ascending; a time group is complete once a later
        # time (or the end) was seen, and is then released with the highest id first.
        reader.pending.extend(memos)
        if reader.exhausted:
            complete, reader.pending = reader.pending, []
        else:
            if not reader.pending:
                return
            last_time = self._time(reader.pending[-1])
            complete = [memo for memo in reader.pending if self._time(memo) < last_time]
            reader.pending = [memo for memo in reader.pending if self._time(memo) == last_time]
        complete.sort(key=lambda memo: (self._time(memo), -memo.id))
        reader.ready.extend(memo for memo in complete if self._is_after_start(memo))

    def _next_limit(self) -> int:
        needed = max(self._wanted - self._consumed, 1)
        cost = self.scanned / self._consumed if self._consumed else 2.0
        left = max(self._budget - self.scanned, 2)
        return min(max(int(needed * max(cost, 1.0)) + 1, 2), _MAX_FETCH, left)

    def _head(self, reader: _Reader) -> Memo | None:
        while not reader.ready and not reader.exhausted:
            if reader.fetched:
                if self.scanned >= self._budget:
                    return None
                reader.limit = self._next_limit()
            self._fetch(reader)
        return reader.ready[0] if reader.ready else None

    def collect(self, size: int) -> ListingPage:
        if self._empty_range():
            return ListingPage([], None)
        accepted: list[Memo] = []
        last_consumed = self._after
        last_position: Position | None = None
        accept = self._query.accept
        while True:
            heads = [(reader, self._head(reader)) for reader in self._readers]
            if any(memo is None and not reader.exhausted for reader, memo in heads):
                # The budget ran out before this listing's next memo was known.
                return self._page(accepted[:size], self._resume_point(last_consumed))
            candidates = [(reader, memo) for reader, memo in heads if memo is not None]
            if not candidates:
                return self._page(accepted[:size], None)
            reader, memo = min(candidates, key=lambda pair: self._rank(self._position(pair[1])))
            reader.ready.pop(0)
            position = self._position(memo)
            if position == last_position:
                continue  # the same memo from a second listing
            last_position = position
            if accept is None or accept(memo):
                if len(accepted) == size:
                    return self._page(accepted, self._position(accepted[-1]))
                accepted.append(memo)
                self._consumed += 1
            last_consumed = position

    def _resume_point(self, last_consumed: Position | None) -> Position | None:
        """Where the next page starts after the budget ran out: no unread memo is skipped."""
        limits: list[Position] = []
        for reader in self._readers:
            if reader.ready:
                first = reader.ready[0]
                limits.append(Position(self._time(first), first.id + 1))
            elif reader.pending:
                limits.append(Position(self._time(reader.pending[0]), MAX_ID))
            elif not reader.exhausted and reader.last_seen is not None:
                seen = reader.last_seen
                limits.append(seen if self._query.descending else Position(seen.time, MAX_ID))
        frontier = min(limits, key=self._rank) if limits else None
        choices = [p for p in (last_consumed, frontier) if p is not None]
        if not choices:
            return None
        return max(choices, key=self._rank)

    def _page(self, memos: list[Memo], next_position: Position | None) -> ListingPage:
        return ListingPage(memos, next_position, self.scanned, self.round_trips)


def _position_of_sort_key(sort_key: str) -> Position | None:
    time_part, _, id_part = sort_key.partition("#")
    if not time_part.isdigit() or not id_part.isdigit():
        return None
    return Position(int(time_part) - keys.TIME_OFFSET, int(id_part))
