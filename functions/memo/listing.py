"""ListMemos: from the viewer, state, filter and order to listings, and pages to tokens.

The plan picks the narrowest listings the filter allows (a creator's memos, the PUBLIC/PROTECTED
feeds, a tag's memos, the pinned ones), turns a time range on the ordering time into a key
condition, gives DynamoDB what it can check as a FilterExpression, and checks everything again
in Python (the viewer's rule, the state, the whole filter), so a listing can only narrow what is
read, never widen what is returned. "Pinned first" runs two phases: the pinned listings, then the
unpinned rest; a page token carries the phase and the position reached in it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from msgspec import Struct

from functions.memo.access import in_view
from memos.domain.enums import Visibility
from memos.errors import InvalidArgumentError
from memos.filters import MEMO_SCHEMA, conjuncts, evaluate
from memos.filters.dynamo import split_for_dynamodb
from memos.filters.ir import Compare, Const, InList, TagIn
from memos.store import keys
from memos.store.memo_listing import Listing, ListingQuery, Position
from memos.store.paging import INVALID_PAGE_TOKEN
from memos.store.table import Expression, both

if TYPE_CHECKING:
    from collections.abc import Callable

    from functions.memo.order import MemoOrder
    from memos.filters.ir import Node
    from memos.store.memo_listing import MemoLister
    from memos.store.memos import Memo
    from memos.store.paging import PageTokens
    from memos.store.users import User

DEFAULT_PAGE_SIZE: Final = 10
MAX_PAGE_SIZE: Final = 1000
_ALL: Final = frozenset(v.value for v in Visibility)
_FEEDS: Final = (Visibility.PUBLIC.value, Visibility.PROTECTED.value)
# Filter fields as memo item attributes: the same names, and the hierarchical ``tag`` alias is
# the ``tag_paths`` list (every tag and its ancestors) that memo items carry.
ATTRIBUTES: Final = {name: "tag_paths" if name == "tag" else name for name in MEMO_SCHEMA}


class ListRequest(Struct, frozen=True):
    viewer: User | None
    state: str
    filter: Node
    order: MemoOrder
    query: str  # what identifies this list for its page tokens (filter, order, state, viewer)


class _Constraints(Struct, frozen=True):
    creators: frozenset[int] | None = None
    visibilities: frozenset[str] | None = None
    tags: tuple[str, ...] | None = None
    pinned: bool = False
    earliest: int | None = None
    latest: int | None = None


def query_identity(*parts: object) -> str:
    return "ListMemos|" + "|".join(repr(part) for part in parts)


def page_size_of(requested: int) -> int:
    if requested <= 0:
        return DEFAULT_PAGE_SIZE
    return min(requested, MAX_PAGE_SIZE)


def read_budget(size: int) -> int:
    return min(max(10 * (size + 1), 500), 5000)


def plan(request: ListRequest) -> list[ListingQuery]:
    """One query per phase (two with "pinned first")."""
    if request.filter == Const(value=False):
        return []
    found = _constraints(request.filter, request.order.by_update_time)
    dynamo_filter, _ = split_for_dynamodb(request.filter, ATTRIBUTES)
    phases: list[tuple[bool, bool | None]] = (
        [(True, True), (False, False)] if request.order.pinned_first else [(found.pinned, None)]
    )
    queries = []
    for pinned_listing, wants_pinned in phases:
        listings = _listings(request, found, pinned_listing=pinned_listing)
        phase_filter = dynamo_filter
        if wants_pinned is False:
            phase_filter = _and(
                phase_filter, Expression("#lp = :lp", {"#lp": "pinned"}, {":lp": False})
            )
        queries.append(
            ListingQuery(
                listings=tuple(
                    Listing(listing.partition, _and(listing.filter, phase_filter))
                    for listing in listings
                ),
                by_update_time=request.order.by_update_time,
                descending=request.order.descending,
                earliest=found.earliest,
                latest=found.latest,
                accept=_acceptor(request, wants_pinned),
            )
        )
    return queries


def _and(first: Expression | None, second: Expression | None) -> Expression | None:
    if first is None:
        return second
    if second is None:
        return first
    return both(first, second)


def _acceptor(request: ListRequest, wants_pinned: bool | None) -> Callable[[Memo], bool]:
    def accept(memo: Memo) -> bool:
        return (
            memo.parent_uid is None
            and memo.state == request.state
            and (wants_pinned is None or memo.pinned == wants_pinned)
            and in_view(request.viewer, memo)
            and evaluate(request.filter, memo.filter_record())
        )

    return accept


def _listings(request: ListRequest, found: _Constraints, *, pinned_listing: bool) -> list[Listing]:
    viewer, state = request.viewer, request.state
    wanted = found.visibilities

    def creator_partitions(creator_id: int) -> list[str]:
        if found.tags is not None:
            return [keys.creator_tag_listing(creator_id, state, tag) for tag in found.tags]
        if pinned_listing:
            return [keys.creator_pinned_listing(creator_id, state)]
        return [keys.creator_listing(creator_id, state)]

    def feed_partitions(visibility: str) -> list[str]:
        if found.tags is not None:
            return [keys.feed_tag_listing(visibility, state, tag) for tag in found.tags]
        if pinned_listing:
            return [keys.feed_pinned_listing(visibility, state)]
        return [keys.feed_listing(visibility, state)]

    result: list[Listing] = []
    if found.creators is not None:
        for creator_id in sorted(found.creators):
            allowed = _ALL if viewer is not None and viewer.id == creator_id else _viewable(viewer)
            if wanted is not None:
                allowed = allowed & wanted
            if not allowed:
                continue
            restriction = None if allowed == _ALL else _visibility_in(allowed)
            result.extend(Listing(p, restriction) for p in creator_partitions(creator_id))
        return result
    for visibility in _FEEDS:
        if visibility in _viewable(viewer) and (wanted is None or visibility in wanted):
            result.extend(Listing(p) for p in feed_partitions(visibility))
    if viewer is not None and (wanted is None or Visibility.PRIVATE.value in wanted):
        private = _visibility_in(frozenset({Visibility.PRIVATE.value}))
        result.extend(Listing(p, private) for p in creator_partitions(viewer.id))
    return result


def _viewable(viewer: User | None) -> frozenset[str]:
    return frozenset(_FEEDS) if viewer is not None else frozenset({Visibility.PUBLIC.value})


def _visibility_in(allowed: frozenset[str]) -> Expression:
    values = {f":lv{index}": value for index, value in enumerate(sorted(allowed))}
    return Expression(f"#lv IN ({', '.join(values)})", {"#lv": "visibility"}, values)


def _constraints(node: Node, by_update_time: bool) -> _Constraints:
    creators: frozenset[int] | None = None
    visibilities: frozenset[str] | None = None
    tags: tuple[str, ...] | None = None
    pinned = False
    earliest: int | None = None
    latest: int | None = None
    time_field = "updated_ts" if by_update_time else "created_ts"
    for item in conjuncts(node):
        if isinstance(item, Compare) and item.field == "creator_id" and item.op == "==":
            creators = _meet(creators, {int(item.value)} if isinstance(item.value, int) else set())
        elif isinstance(item, InList) and item.field == "creator_id":
            creators = _meet(creators, {v for v in item.values if isinstance(v, int)})
        elif isinstance(item, Compare) and item.field == "visibility":
            if item.op == "==":
                visibilities = _meet(visibilities, {str(item.value)})
            elif item.op == "!=":
                visibilities = _meet(visibilities, set(_ALL - {str(item.value)}))
        elif isinstance(item, InList) and item.field == "visibility":
            visibilities = _meet(visibilities, {str(v) for v in item.values})
        elif isinstance(item, TagIn) and tags is None:
            tags = tuple(dict.fromkeys(item.tags))
        elif isinstance(item, Compare) and item.field == "pinned":
            pinned = pinned or (item.op == "==") == (item.value is True)
        elif (
            isinstance(item, Compare)
            and item.field == time_field
            and isinstance(item.value, int)
            and not isinstance(item.value, bool)
        ):
            earliest, latest = _narrow(earliest, latest, item.op, item.value)
    return _Constraints(creators, visibilities, tags, pinned, earliest, latest)


def _meet(current: frozenset[Any] | None, values: set[Any]) -> frozenset[Any]:
    return frozenset(values) if current is None else current & frozenset(values)


def _narrow(
    earliest: int | None, latest: int | None, op: str, value: int
) -> tuple[int | None, int | None]:
    low = {">=": value, ">": value + 1, "==": value}.get(op)
    high = {"<=": value, "<": value - 1, "==": value}.get(op)
    if low is not None:
        earliest = low if earliest is None else max(earliest, low)
    if high is not None:
        latest = high if latest is None else min(latest, high)
    return earliest, latest


# Page tokens ----------------------------------------------------------------------------------


class Resume(Struct, frozen=True):
    phase: int
    position: Position | None
    size: int


def issue_token(
    tokens: PageTokens, request: ListRequest, phase: int, position: Position | None, size: int
) -> str:
    """A token for the page after ``position`` of ``phase`` (None: the phase's start)."""
    where = [position.time, position.id] if position is not None else None
    return tokens.issue(where, query=request.query, phase=phase, size=size)


def resume_from(tokens: PageTokens, token: str, request: ListRequest) -> Resume:
    point = tokens.resume(token, query=request.query)
    where = point.cursor
    if where is None:
        position = None
    elif (
        isinstance(where, list)
        and len(where) == 2
        and all(isinstance(part, int) and not isinstance(part, bool) for part in where)
    ):
        position = Position(where[0], where[1])
    else:
        raise InvalidArgumentError(INVALID_PAGE_TOKEN)
    return Resume(point.extra_int("phase"), position, point.extra_int("size"))


class ListedPage(Struct):
    memos: list[Memo]
    next_token: str
    scanned: int
    round_trips: int


def list_page(
    lister: MemoLister,
    tokens: PageTokens,
    request: ListRequest,
    *,
    page_size: int,
    page_token: str,
) -> ListedPage:
    """One page of ListMemos, with the token of the next one ("" at the end)."""
    queries = plan(request)
    size = page_size_of(page_size)
    phase, position = 0, None
    if page_token:
        resume = resume_from(tokens, page_token, request)
        phase, position, size = resume.phase, resume.position, page_size_of(resume.size)
        if not 0 <= phase < max(len(queries), 1):
            raise InvalidArgumentError(INVALID_PAGE_TOKEN)
    memos: list[Memo] = []
    scanned = round_trips = 0
    budget = read_budget(size)
    while phase < len(queries):
        page = lister.page(
            queries[phase],
            size=size - len(memos),
            after=position,
            budget=max(budget - scanned, 1),
        )
        memos.extend(page.memos)
        scanned += page.scanned
        round_trips += page.round_trips
        if page.next_position is not None:
            token = issue_token(tokens, request, phase, page.next_position, size)
            return ListedPage(memos, token, scanned, round_trips)
        phase, position = phase + 1, None
        if len(memos) >= size:
            break
    if phase < len(queries):
        # The page filled exactly as a phase ended: the next page starts the next phase.
        token = issue_token(tokens, request, phase, None, size)
        return ListedPage(memos, token, scanned, round_trips)
    return ListedPage(memos, "", scanned, round_trips)
