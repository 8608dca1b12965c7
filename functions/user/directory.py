"""Finding users: ListUsers (ADMIN; an optional ``username == "x"`` filter; signed page tokens)
and SearchUsers (public; the user filter language or plain text; bounded).

ListUsers without ``page_size`` returns every user, newest first, as Memos does (the web app
relies on it); with a ``page_size`` it returns one page and an opaque, signed
``next_page_token`` (a DynamoDB cursor under HMAC), so clients can neither read nor forge keys.

Both read filters with :mod:`functions.user.user_filters`. SearchUsers takes a filter
(``username == "x"``, ``username.contains("x")``, ``display_name.contains("x")``, joined by
``||``) or plain text (that exact username, or the text inside a username or display name,
ignoring case). It never reads the users index: exact usernames are looked up through their
guards (one BatchGetItem), substrings are matched in the user directory (the compact
``USERDIR`` blocks of :class:`memos.store.users.UserStore`), reading at most
:data:`ANONYMOUS_DIRECTORY_ITEMS` blocks for an anonymous caller and
:data:`SIGNED_IN_DIRECTORY_ITEMS` for a signed-in one, newest users first; the at most
:data:`MAX_SEARCH_RESULTS` matches are then read in one BatchGetItem and confirmed on the profile
(active, still matching). Older users beyond those blocks are found by their exact username.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from msgspec import Struct

from memos.domain.enums import State
from memos.errors import InvalidArgumentError

if TYPE_CHECKING:
    from functions.user.user_filters import UserFilter
    from memos.store.paging import PageTokens
    from memos.store.users import User, UserStore

MAX_PAGE_SIZE: Final = 1000
MAX_SEARCH_RESULTS: Final = 20
MAX_SEARCH_TEXT_LENGTH: Final = 256
# Directory blocks a search may read: 2 blocks are the newest 512 user ids, 8 are 2,048.
ANONYMOUS_DIRECTORY_ITEMS: Final = 2
SIGNED_IN_DIRECTORY_ITEMS: Final = 8
# What a ListUsers page token is bound to: the one listing it pages (no filter, one order).
_LISTING_QUERY: Final = "ListUsers"
_EMPTY_USERNAME: Final = "invalid filter: the username must not be empty"


class UserListing(Struct, frozen=True):
    users: list[User]
    next_page_token: str
    total_size: int


def parse_username_filter(text: str) -> str | None:
    """The username of a ``username == "<literal>"`` filter (either order, either quote);
    None for no filter. Anything else is INVALID_ARGUMENT "invalid filter: ..."."""
    if not text.strip():
        return None
    # Imported here: the filter parser loads only for the calls that read a filter.
    from functions.user.user_filters import UserFilterError, parse_user_filter  # noqa: PLC0415

    try:
        wanted = parse_user_filter(text)
    except UserFilterError:
        wanted = None
    if wanted is None or len(wanted.conditions) != 1 or not wanted.usernames:
        raise InvalidArgumentError(
            f'invalid filter: only username == "<name>" is supported, got {text!r}'
        )
    if not wanted.usernames[0]:
        raise InvalidArgumentError(_EMPTY_USERNAME)
    return wanted.usernames[0]


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


def search_filter(text: str) -> UserFilter:
    """What SearchUsers looks for: the filter, or plain text, that ``text`` is.

    INVALID_ARGUMENT for blank or too long text, a filter outside the language ("invalid
    filter: <why>"), and an empty username or substring in a filter.
    """
    from functions.user.user_filters import (  # noqa: PLC0415 - see parse_username_filter
        SUPPORTED,
        UserFilterError,
        looks_like_filter,
        parse_user_filter,
        plain_text_filter,
    )

    query = text.strip()
    if not query:
        raise InvalidArgumentError(
            f"filter is required: text to search usernames and display names for, or {SUPPORTED}"
        )
    if not looks_like_filter(query):
        if len(query) > MAX_SEARCH_TEXT_LENGTH:
            raise InvalidArgumentError(
                f"filter is too long (max {MAX_SEARCH_TEXT_LENGTH} characters)"
            )
        return plain_text_filter(query)
    try:
        wanted = parse_user_filter(query)
    except UserFilterError as error:
        raise InvalidArgumentError(f"invalid filter: {error.detail}") from None
    if any(not name for name in wanted.usernames):
        raise InvalidArgumentError(_EMPTY_USERNAME)
    if any(not condition.needle for condition in wanted.substrings):
        raise InvalidArgumentError("invalid filter: contains() needs some text to look for")
    return wanted


def search_users(users: UserStore, text: str, *, signed_in: bool) -> list[User]:
    """Active users that match ``text`` (see :func:`search_filter`): exact usernames first,
    then the newest matches within the caller's reach, at most :data:`MAX_SEARCH_RESULTS`."""
    wanted = search_filter(text)
    found: dict[int, None] = {}
    if wanted.usernames:
        ids = users.ids_by_username(wanted.usernames)
        found.update((ids[name], None) for name in wanted.usernames if name in ids)
    if wanted.substrings:
        reach = SIGNED_IN_DIRECTORY_ITEMS if signed_in else ANONYMOUS_DIRECTORY_ITEMS
        for entry in users.read_directory(max_items=reach).entries:
            if len(found) >= MAX_SEARCH_RESULTS:
                break
            if entry.state == State.NORMAL and wanted.matches(entry.username, entry.display_name):
                found.setdefault(entry.id)
    candidates = list(found)[:MAX_SEARCH_RESULTS]
    profiles = users.get_many(candidates)
    return [
        user
        for user in (profiles.get(user_id) for user_id in candidates)
        if user is not None
        and user.state == State.NORMAL
        and wanted.matches(user.username, user.display_name)
    ]
