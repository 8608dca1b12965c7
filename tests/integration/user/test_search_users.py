"""SearchUsers: the user filter language or plain text, matched in the user directory, bounded.

Public. A filter is ``username == "x"``, ``username.contains("x")``, ``display_name.contains("x")``
joined by ``||``; plain text is that exact username, or a case-insensitive substring of a
username or display name. At most 20 active users come back; an anonymous search reads at most
2 directory blocks, a signed-in one 8.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from functions.user.directory import (
    ANONYMOUS_DIRECTORY_ITEMS,
    MAX_SEARCH_RESULTS,
    SIGNED_IN_DIRECTORY_ITEMS,
)
from functions.user.user_filters import MAX_CONDITIONS
from memos.domain.enums import Role
from memos.store import users as users_module
from memos.store.users import UserChanges
from tests.integration.user.conftest import add_user, error_of, record_calls, token_of

if TYPE_CHECKING:
    from memos.store import Stores
    from tests.integration.user.conftest import UserApi

BLOCK = 4  # directory block size in the tests that reach past a block


def usernames(api: UserApi, text: str, token: str | None = None) -> list[str]:
    found = api.ok("SearchUsers", {"filter": text}, token)
    return [user["username"] for user in found.get("users", [])]


def refusal(api: UserApi, text: str) -> str:
    """The message of a SearchUsers that must be INVALID_ARGUMENT."""
    status, code, message = error_of(api.connect("SearchUsers", {"filter": text}))
    assert (status, code) == (400, "invalid_argument"), message
    return message


@pytest.fixture
def people(stores: Stores) -> None:
    """Four users, oldest first: Alice, bob (Bobby ALIson), carol, and archived alina."""
    add_user(stores, "Alice", display_name="Alice Liddell")
    add_user(stores, "bob", display_name="Bobby ALIson")
    add_user(stores, "carol", display_name="Carol")
    add_user(stores, "alina", display_name="Alina", state="ARCHIVED")


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(users_module, "DIRECTORY_BLOCK_SIZE", BLOCK)
    return BLOCK


# --- Plain text --------------------------------------------------------------------------------


@pytest.mark.usefixtures("people")
def test_plain_text_matches_username_and_display_name_ignoring_case(api: UserApi) -> None:
    # When an anonymous caller searches "ali"
    found = usernames(api, "ali")

    # Then both active matches come back, newest first; archived alina does not
    assert found == ["bob", "Alice"]


def test_plain_text_that_is_a_username_puts_that_user_first(api: UserApi, stores: Stores) -> None:
    # Given "al", and newer users with "al" inside their names
    add_user(stores, "al")
    add_user(stores, "hal")
    add_user(stores, "sam", display_name="Sally")

    # When searching "al"
    found = usernames(api, "al")

    # Then the exact username comes first, then the others newest first
    assert found == ["al", "sam", "hal"]


@pytest.mark.usefixtures("people")
@pytest.mark.parametrize("text", ["Liddell", "  liddell  ", "Alice Liddell", "CAROL"])
def test_plain_text_with_spaces_or_any_case_is_a_substring(api: UserApi, text: str) -> None:
    assert len(usernames(api, text)) == 1


@pytest.mark.usefixtures("people")
@pytest.mark.parametrize("text", ["zed", "alina", "Bob's (admin) page", "true", "username"])
def test_plain_text_that_matches_no_active_user_finds_nothing(api: UserApi, text: str) -> None:
    assert usernames(api, text) == []


def test_plain_text_is_unicode_case_insensitive(api: UserApi, stores: Stores) -> None:
    add_user(stores, "strasse", display_name="STRASSE")
    add_user(stores, "ole", display_name="Øle Ölund")
    assert usernames(api, "straße") == ["strasse"]
    assert usernames(api, "øle") == ["ole"]


def test_search_returns_the_user_view_without_secrets(api: UserApi, stores: Stores) -> None:
    add_user(stores, "alice", email="a@example.com", password_hash="$2b$10$secret")
    response = api.rest("GET", "/api/v1/users:search", query="filter=alice")
    assert response.status == 200, response.body
    [user] = response.json()["users"]
    assert user["email"] == ""
    assert user["password"] == ""
    assert "secret" not in response.body.decode()
    assert "a@example.com" not in response.body.decode()


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_search_is_invalid_argument(api: UserApi, text: str) -> None:
    assert refusal(api, text).startswith("filter is required")


def test_too_long_plain_text_is_invalid_argument(api: UserApi) -> None:
    assert refusal(api, "x" * 257) == "filter is too long (max 256 characters)"


# --- The filter language -----------------------------------------------------------------------


@pytest.mark.usefixtures("people")
@pytest.mark.parametrize(
    ("filter_text", "expected"),
    [
        ('username == "bob"', ["bob"]),
        ("username == 'bob'", ["bob"]),
        ('"bob" == username', ["bob"]),
        ('(username == "bob")', ["bob"]),
        ('username == "Bob"', []),
        ('username == "alina"', []),
        ('username == "nobody"', []),
        ('username.contains("AL")', ["Alice"]),
        ('username.contains("o")', ["carol", "bob"]),
        ('display_name.contains("ali")', ["bob", "Alice"]),
        ('display_name.contains("liddell")', ["Alice"]),
        ('display_name.contains("zzz")', []),
        ('username == "carol" || display_name.contains("liddell")', ["carol", "Alice"]),
        ('username.contains("car") || username.contains("bo")', ["carol", "bob"]),
        ('username == "bob" || username == "carol"', ["bob", "carol"]),
        (
            '(username == "carol" || username.contains("b")) || display_name.contains("x")',
            [
                "carol",
                "bob",
            ],
        ),
        ('username.contains("a\\u006c")', ["Alice"]),
    ],
)
def test_every_filter_form(api: UserApi, filter_text: str, expected: list[str]) -> None:
    assert usernames(api, filter_text) == expected


@pytest.mark.usefixtures("people")
def test_filters_work_over_rest_and_for_signed_in_callers(api: UserApi, stores: Stores) -> None:
    caller = add_user(stores, "dave")
    response = api.rest(
        "GET",
        "/api/v1/users:search",
        query='filter=display_name.contains("carol")',
        token=token_of(caller),
    )
    assert response.status == 200, response.body
    assert [user["username"] for user in response.json()["users"]] == ["carol"]


@pytest.mark.parametrize(
    ("filter_text", "message"),
    [
        (
            'email == "a@b.c"',
            'invalid filter: unknown field "email": a user filter names username or display_name',
        ),
        (
            'nickname.contains("a")',
            'invalid filter: unknown field "nickname": a user filter names username or '
            "display_name",
        ),
        (
            'display_name == "Carol"',
            "invalid filter: display_name can't be compared with ==; "
            'use display_name.contains("<text>")',
        ),
        ("username == 1", "invalid filter: username must be compared with a string"),
        ("username == role", "invalid filter: username must be compared with a string"),
        ('"a" == "b"', "invalid filter: == must compare username with a string"),
        ("username.contains(1)", "invalid filter: contains() takes a string"),
        ('username.contains("a", "b")', "invalid filter: contains() takes exactly one string"),
        ('username == ""', "invalid filter: the username must not be empty"),
        ('display_name.contains("")', "invalid filter: contains() needs some text to look for"),
    ],
)
def test_a_filter_outside_the_language_names_the_problem(
    api: UserApi, filter_text: str, message: str
) -> None:
    assert refusal(api, filter_text) == message


@pytest.mark.parametrize(
    ("filter_text", "named"),
    [
        ('username == "a" && username == "b"', "operator &&"),
        ('username != "alice"', "operator !="),
        ('!username.contains("a")', "operator !"),
        ('username.startsWith("a")', "startsWith()"),
        ('username in ["a", "b"]', "operator in"),
    ],
)
def test_unsupported_operators_are_named(api: UserApi, filter_text: str, named: str) -> None:
    message = refusal(api, filter_text)
    assert message.startswith(f"invalid filter: {named} is not supported; use ")
    assert 'username.contains("<text>")' in message


@pytest.mark.parametrize(
    "filter_text", ['username.contains("a"', 'username == "a', "username = 'a'", "|| username"]
)
def test_a_syntax_error_is_shown_with_its_position(api: UserApi, filter_text: str) -> None:
    message = refusal(api, filter_text)
    assert message.startswith("invalid filter: failed to compile filter: ERROR: <input>:1:")
    assert "^" in message


def test_a_filter_has_a_bounded_number_of_conditions(api: UserApi) -> None:
    allowed = " || ".join(f'username == "u{n}"' for n in range(MAX_CONDITIONS))
    assert usernames(api, allowed) == []
    too_many = f'{allowed} || username == "one-more"'
    assert (
        refusal(api, too_many)
        == f"invalid filter: too many conditions (max {MAX_CONDITIONS} joined by ||)"
    )


def test_a_filter_has_a_bounded_length(api: UserApi) -> None:
    long_filter = 'username.contains("' + "x" * 1100 + '")'
    assert refusal(api, long_filter) == "invalid filter: filter is too long (max 1024 characters)"


# --- ListUsers reads the same language and keeps its one form ------------------------------------


@pytest.mark.parametrize(
    "filter_text",
    [
        'username.contains("al")',
        'username == "alice" || username == "bob"',
        'display_name.contains("x")',
        'username == "alice" && true',
        "username ==",
    ],
)
def test_list_users_still_takes_only_one_username_equality(
    api: UserApi, stores: Stores, filter_text: str
) -> None:
    admin = add_user(stores, "admin", role=Role.ADMIN)
    response = api.connect("ListUsers", {"filter": filter_text}, token_of(admin))
    assert error_of(response) == (
        400,
        "invalid_argument",
        f'invalid filter: only username == "<name>" is supported, got {filter_text!r}',
    )


def test_list_users_empty_username_message_is_unchanged(api: UserApi, stores: Stores) -> None:
    admin = add_user(stores, "admin", role=Role.ADMIN)
    response = api.connect("ListUsers", {"filter": "'' == username"}, token_of(admin))
    assert error_of(response) == (
        400,
        "invalid_argument",
        "invalid filter: the username must not be empty",
    )


# --- Bounds ------------------------------------------------------------------------------------


def test_search_returns_at_most_the_result_bound_newest_first(api: UserApi, stores: Stores) -> None:
    # Given more matching users than the bound
    for n in range(MAX_SEARCH_RESULTS + 5):
        add_user(stores, f"match{n}")

    # When searching
    found = usernames(api, "match")

    # Then only the bound's worth come back, the newest ones
    assert len(found) == MAX_SEARCH_RESULTS
    assert found[0] == f"match{MAX_SEARCH_RESULTS + 4}"


def test_an_anonymous_miss_reads_a_guard_and_two_directory_blocks(
    api: UserApi, stores: Stores, small_blocks: int
) -> None:
    # Given forty users in ten directory blocks
    for n in range(40):
        add_user(stores, f"user{n}", display_name=f"User {n}")
    calls = record_calls(stores)

    # When an anonymous caller searches for text nobody has
    found = usernames(api, "nobody-has-this")

    # Then it read the username guard and the two newest blocks, and no profile
    assert found == []
    assert calls.operations() == ["batch_get_item", "query"]
    assert calls.items_read == 1 + ANONYMOUS_DIRECTORY_ITEMS


def test_a_signed_in_miss_reads_at_most_eight_directory_blocks(
    api: UserApi, stores: Stores, small_blocks: int
) -> None:
    # Given forty users in ten directory blocks, one of them searching
    caller = add_user(stores, "caller")
    for n in range(40):
        add_user(stores, f"user{n}")
    calls = record_calls(stores)

    # When they search for text nobody has
    found = usernames(api, "nobody-has-this", token_of(caller))

    # Then the search itself read the guard and eight blocks
    search_reads = [call for call in calls.calls if call.operation != "get_item"]
    assert found == []
    assert [call.operation for call in search_reads] == ["batch_get_item", "query"]
    assert sum(call.items for call in search_reads) == 1 + SIGNED_IN_DIRECTORY_ITEMS


def test_a_hit_reads_only_the_matching_profiles(
    api: UserApi, stores: Stores, small_blocks: int
) -> None:
    # Given 39 users (ids 1-39: the two newest blocks hold ids 32-39), three named "needle"
    for n in range(39):
        add_user(stores, f"needle{n}" if n in (33, 35, 37) else f"user{n}")
    calls = record_calls(stores)

    # When an anonymous caller searches a substring
    found = usernames(api, 'username.contains("needle")')

    # Then one Query of two blocks found them and one BatchGetItem read just their profiles
    assert found == ["needle37", "needle35", "needle33"]
    assert calls.operations() == ["query", "batch_get_item"]
    assert [call.items for call in calls.calls] == [ANONYMOUS_DIRECTORY_ITEMS, 3]


def test_an_exact_username_filter_reads_no_directory(api: UserApi, stores: Stores) -> None:
    add_user(stores, "alice")
    calls = record_calls(stores)
    assert usernames(api, 'username == "alice"') == ["alice"]
    assert calls.operations() == ["batch_get_item", "batch_get_item"]
    assert calls.items_read == 2


def test_old_users_are_found_by_exact_username_beyond_the_anonymous_reach(
    api: UserApi, stores: Stores, small_blocks: int
) -> None:
    # Given an old user and, after them, more users than two blocks hold
    add_user(stores, "oldtimer", display_name="Old Timer")
    for n in range(ANONYMOUS_DIRECTORY_ITEMS * small_blocks + 4):
        add_user(stores, f"newcomer{n}")

    # When an anonymous caller searches part of the old user's name, and the exact name
    partial = usernames(api, "oldtime")
    exact_text = usernames(api, "oldtimer")
    exact_filter = usernames(api, 'username == "oldtimer" || display_name.contains("Timer")')

    # Then the partial search stops at the reach; the exact username is still found
    assert partial == []
    assert exact_text == ["oldtimer"]
    assert exact_filter == ["oldtimer"]


def test_a_signed_in_caller_reaches_further_than_an_anonymous_one(
    api: UserApi, stores: Stores, small_blocks: int
) -> None:
    # Given an old user behind three blocks of newer users
    old = add_user(stores, "oldtimer", display_name="Old Timer")
    for n in range(3 * small_blocks):
        add_user(stores, f"newcomer{n}")

    # When anonymous and signed-in callers search part of the old user's display name
    anonymous = usernames(api, "old tim")
    signed_in = usernames(api, "old tim", token_of(old))

    # Then only the signed-in search reaches them
    assert anonymous == []
    assert signed_in == ["oldtimer"]


def test_search_follows_renames_archiving_and_deletion(api: UserApi, stores: Stores) -> None:
    # Given three users
    alice = add_user(stores, "alice", display_name="Alice")
    bob = add_user(stores, "bob", display_name="Bob")
    carol = add_user(stores, "carol", display_name="Carol")

    # When alice is renamed, bob archived and carol deleted
    stores.users.update(alice.id, UserChanges(username="alicia", display_name="Searchable"))
    stores.users.update(bob.id, UserChanges(state="ARCHIVED"))
    stores.users.delete(carol.id)

    # Then search sees the new names only, and neither bob nor carol
    assert usernames(api, "searchable") == ["alicia"]
    assert usernames(api, "alice") == []
    assert usernames(api, "bob") == []
    assert usernames(api, "carol") == []
    stores.users.update(bob.id, UserChanges(state="NORMAL"))
    assert usernames(api, "bob") == ["bob"]
