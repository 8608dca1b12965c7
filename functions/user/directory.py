"""Finding users: ListUsers (ADMIN; an optional ``username == "x"`` filter; signed page tokens)
and SearchUsers (public; bounded, case-insensitive substring match).

ListUsers without ``page_size`` returns every user, newest first, as Memos does (the web app
relies on it); with a ``page_size`` it returns one page and an opaque, signed
``next_page_token`` (a DynamoDB cursor under HMAC), so clients can neither read nor forge keys.

SearchUsers never scans the table: it looks up an exact username (one GetItem), then walks the
users index (GSI1 ``USERS``, newest first) in pages, examining at most
:data:`MAX_SEARCH_EXAMINED` users and returning at most :data:`MAX_SEARCH_RESULTS`. On an
instance with more users than that bound, older users are found only by their exact username.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from memos.domain.enums import State
from memos.errors import InvalidArgumentError

if TYPE_CHECKING:
    from memos.store.paging import Cursor, PageTokens
    from memos.store.users import User, UserStore

MAX_PAGE_SIZE: Final = 1000
MAX_SEARCH_RESULTS: Final = 20
MAX_SEARCH_EXAMINED: Final = 1000
MAX_SEARCH_TEXT_LENGTH: Final = 256
_SEARCH_PAGE: Final = 100
# What a ListUsers page token is bound to: the one listing it pages (no filter, one order).
_LISTING_QUERY: Final = "ListUsers"

_LITERAL = r"""(?:"(?P<{0}d>[^"\\]*)"|'(?P<{0}s>[^'\\]*)')"""
_USERNAME_FILTER: Final = re.compile(
    r"^\s*(?:username\s*==\s*"
    + _LITERAL.format("a")
    + r"|"
    + _LITERAL.format("b")
    + r"\s*==\s*username)\s*$"
)


@dataclass(frozen=True, slots=True)
class UserListing:
    users: list[User]
    next_page_token: str
    total_size: int


def parse_username_filter(text: str) -> str | None:
    """The username of a ``username == "<literal>"`` filter (either order, either quote);
    None for no filter. Anything else is INVALID_ARGUMENT "invalid filter: ..."."""
    if not text.strip():
        return None
    match = _USERNAME_FILTER.match(text)
    if match is None:
        raise InvalidArgumentError(
            f'invalid filter: only username == "<name>" is supported, got {text!r}'
        )
    literal = next((value for value in match.groupdict().values() if value is not None), "")
    if not literal:
        raise InvalidArgumentError("invalid filter: the username must not be empty")
    return literal


def list_users(
    users: UserStore, tokens: PageTokens, *, filter: str, page_size: int, page_token: str
) -> UserListing:
    username = parse_username_filter(filter)
    if username is not None:
        user = users.get_by_username(username)
        found = [user] if user is not None else []
        return UserListing(found, "", len(found))
    cursor = tokens.resume(page_token, query=_LISTING_QUERY).key_cursor()
    if page_size <= 0:
        everyone: list[User] = []
        while True:
            page = users.list_users(limit=MAX_PAGE_SIZE, cursor=cursor)
            everyone.extend(page.items)
            if page.cursor is None:
                return UserListing(everyone, "", len(everyone))
            cursor = page.cursor
    page = users.list_users(limit=min(page_size, MAX_PAGE_SIZE), cursor=cursor)
    next_token = tokens.issue(page.cursor, query=_LISTING_QUERY) if page.cursor else ""
    return UserListing(list(page.items), next_token, users.count())


def search_users(users: UserStore, text: str) -> list[User]:
    """Active users whose username or display name contains ``text`` (case-insensitive)."""
    query = text.strip()
    if not query:
        raise InvalidArgumentError("filter is required: the text to search usernames for")
    if len(query) > MAX_SEARCH_TEXT_LENGTH:
        raise InvalidArgumentError(f"filter is too long (max {MAX_SEARCH_TEXT_LENGTH} characters)")
    needle = query.casefold()
    found: dict[int, User] = {}
    exact = users.get_by_username(query)
    if exact is not None and exact.state == State.NORMAL:
        found[exact.id] = exact
    examined = 0
    cursor: Cursor | None = None
    while len(found) < MAX_SEARCH_RESULTS and examined < MAX_SEARCH_EXAMINED:
        page = users.list_users(
            limit=min(_SEARCH_PAGE, MAX_SEARCH_EXAMINED - examined), cursor=cursor
        )
        examined += len(page.items)
        for user in page.items:
            if user.state == State.NORMAL and _matches(user, needle):
                found.setdefault(user.id, user)
        if page.cursor is None:
            break
        cursor = page.cursor
    return list(found.values())[:MAX_SEARCH_RESULTS]


def _matches(user: User, needle: str) -> bool:
    return needle in user.username.casefold() or needle in user.display_name.casefold()
