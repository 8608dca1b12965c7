"""ListMemos: what the web app asks for (spec filters.md §9, memos.md §7.2), ordering and paging."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

import pytest

from memos.store.users import Role
from tests.integration.memo.conftest import add_user, token_of

if TYPE_CHECKING:
    from memos.store import Stores
    from tests.integration.memo.conftest import MemoApi


def contents(reply: Any) -> list[str]:
    return [memo["content"] for memo in reply.get("memos", [])]


@pytest.fixture
def world(api: MemoApi, stores: Stores) -> dict[str, Any]:
    """Alice (PRIVATE, PROTECTED, PUBLIC memos, a tag, a pinned one) and Bob (PUBLIC, PRIVATE)."""
    alice, bob = add_user(stores, "alice"), add_user(stores, "bob")
    ta, tb = token_of(alice), token_of(bob)
    for index, (content, visibility) in enumerate(
        [
            ("a-private #work/q1", "PRIVATE"),
            ("a-protected #work", "PROTECTED"),
            ("a-public #home", "PUBLIC"),
            ("b-public", "PUBLIC"),
            ("b-private #work", "PRIVATE"),
        ]
    ):
        token = ta if content.startswith("a-") else tb
        api.create(
            token, content, visibility=visibility, createTime=f"2024-01-0{index + 1}T00:00:00Z"
        )
    pinned = api.ok("ListMemos", {"filter": 'content.contains("a-protected")'}, ta)["memos"][0]
    api.ok(
        "UpdateMemo",
        {"memo": {"name": pinned["name"], "pinned": True}, "updateMask": "pinned"},
        ta,
    )
    return {"alice": alice, "bob": bob, "ta": ta, "tb": tb}


def test_home_lists_the_creators_memos_newest_first(api: MemoApi, world: dict[str, Any]) -> None:
    reply = api.list(world["ta"], filter=f"creator_id == {world['alice'].id}")
    assert contents(reply) == ["a-public #home", "a-protected #work", "a-private #work/q1"]


def test_a_profile_shows_others_only_what_they_may_see(api: MemoApi, world: dict[str, Any]) -> None:
    profile = f"creator_id == {world['alice'].id}"
    assert contents(api.list(world["tb"], filter=profile)) == [
        "a-public #home",
        "a-protected #work",
    ]
    assert contents(api.list(None, filter=profile)) == ["a-public #home"]


def test_explore_signed_in_and_anonymous(api: MemoApi, world: dict[str, Any]) -> None:
    signed_in = api.list(world["tb"], filter='visibility in ["PUBLIC", "PROTECTED"]')
    assert contents(signed_in) == ["b-public", "a-public #home", "a-protected #work"]
    anonymous = api.list(None, filter='visibility in ["PUBLIC"]')
    assert contents(anonymous) == ["b-public", "a-public #home"]


def test_no_filter_lists_what_the_viewer_may_see(api: MemoApi, world: dict[str, Any]) -> None:
    assert contents(api.list(world["tb"])) == [
        "b-private #work",
        "b-public",
        "a-public #home",
        "a-protected #work",
    ]
    assert contents(api.list(None)) == ["b-public", "a-public #home"]


def test_tag_filter_matches_the_tag_and_its_children(api: MemoApi, world: dict[str, Any]) -> None:
    home = f'creator_id == {world["alice"].id} && tag in ["work"]'
    assert contents(api.list(world["ta"], filter=home)) == [
        "a-protected #work",
        "a-private #work/q1",
    ]
    explore = 'visibility in ["PUBLIC", "PROTECTED"] && tag in ["work"]'
    assert contents(api.list(world["tb"], filter=explore)) == ["a-protected #work"]


def test_pinned_filter_and_pinned_first_order(api: MemoApi, world: dict[str, Any]) -> None:
    mine = f"creator_id == {world['alice'].id}"
    assert contents(api.list(world["ta"], filter=f"{mine} && pinned")) == ["a-protected #work"]
    ordered = api.list(world["ta"], filter=mine, orderBy="pinned desc, display_time desc")
    assert contents(ordered) == ["a-protected #work", "a-public #home", "a-private #work/q1"]
    ascending = api.list(world["ta"], filter=mine, orderBy="pinned desc, display_time asc")
    assert contents(ascending) == ["a-protected #work", "a-private #work/q1", "a-public #home"]


def test_search_and_time_range(api: MemoApi, world: dict[str, Any]) -> None:
    mine = f"creator_id == {world['alice'].id}"
    assert contents(api.list(world["ta"], filter=f'{mine} && content.contains("A-PUB")')) == [
        "a-public #home"
    ]
    day = 1704153600  # 2024-01-02T00:00:00Z
    ranged = f"{mine} && created_ts >= {day} && created_ts < {day + 86400}"
    assert contents(api.list(world["ta"], filter=ranged)) == ["a-protected #work"]


def test_archived_memos_are_listed_only_with_state_archived(
    api: MemoApi, world: dict[str, Any]
) -> None:
    mine = f"creator_id == {world['alice'].id}"
    first = api.list(world["ta"], filter=mine)["memos"][0]
    api.ok(
        "UpdateMemo",
        {"memo": {"name": first["name"], "state": "ARCHIVED"}, "updateMask": "state"},
        world["ta"],
    )
    assert "a-public #home" not in contents(api.list(world["ta"], filter=mine))
    assert contents(api.list(world["ta"], filter=mine, state="ARCHIVED")) == ["a-public #home"]


def test_comments_are_never_listed(api: MemoApi, world: dict[str, Any]) -> None:
    parent = api.list(world["tb"], filter='visibility in ["PUBLIC"]')["memos"][0]
    api.ok(
        "CreateMemoComment",
        {"name": parent["name"], "comment": {"content": "reply", "visibility": "PUBLIC"}},
        world["ta"],
    )
    assert "reply" not in contents(api.list(world["ta"]))


def test_ascending_order_breaks_ties_by_newest_id(api: MemoApi, stores: Stores) -> None:
    token = token_of(add_user(stores, "ties"))
    for name in ("first", "second", "third"):
        api.create(token, name, createTime="2024-05-05T00:00:00Z")
    api.create(token, "earlier", createTime="2024-05-04T00:00:00Z")
    reply = api.list(token, orderBy="display_time asc")
    assert contents(reply) == ["earlier", "third", "second", "first"]
    pages: list[str] = []
    token_text = ""
    while True:
        page = api.list(token, orderBy="display_time asc", pageSize=1, pageToken=token_text)
        pages += contents(page)
        token_text = page.get("nextPageToken", "")
        if not token_text:
            break
    assert pages == ["earlier", "third", "second", "first"]


@pytest.mark.parametrize(
    "order_by",
    ["", "display_time asc", "pinned desc, display_time desc", "pinned desc, display_time asc"],
)
def test_paging_never_skips_or_repeats_while_memos_are_created(
    api: MemoApi, stores: Stores, order_by: str
) -> None:
    # Given 12 memos, two of them pinned, several sharing a second
    token = token_of(add_user(stores, "pager"))
    for index in range(12):
        memo = api.create(token, f"m{index}", createTime=f"2024-02-0{1 + index // 3}T00:00:00Z")
        if index in (4, 9):
            api.ok(
                "UpdateMemo",
                {"memo": {"name": memo["name"], "pinned": True}, "updateMask": "pinned"},
                token,
            )
    expected = contents(api.list(token, orderBy=order_by, pageSize=100))

    # When paging by 5 while new memos keep arriving between pages
    seen: list[str] = []
    page_token = ""
    for round_ in range(10):
        page = api.list(token, orderBy=order_by, pageSize=5, pageToken=page_token)
        seen += contents(page)
        api.create(token, f"new{round_}")
        page_token = page.get("nextPageToken", "")
        if not page_token:
            break

    # Then every memo that existed at the start is seen exactly once, in order
    old = [content for content in seen if not content.startswith("new")]
    assert old == expected
    assert len(seen) == len(set(seen))


def test_a_page_token_only_fits_its_own_query(api: MemoApi, stores: Stores) -> None:
    token = token_of(add_user(stores, "bound"))
    for index in range(3):
        api.create(token, f"m{index}")
    page = api.list(token, pageSize=1)
    status, code, message = api.error(
        "ListMemos", {"pageSize": 1, "pageToken": page["nextPageToken"], "filter": "pinned"}, token
    )
    assert (status, code, message) == (400, "invalid_argument", "invalid page token")
    assert api.error("ListMemos", {"pageToken": "garbage"}, token)[1] == "invalid_argument"


def test_invalid_filter_and_order_are_invalid_argument(api: MemoApi, stores: Stores) -> None:
    token = token_of(add_user(stores, "strict"))
    status, code, message = api.error("ListMemos", {"filter": 'tag == "work"'}, token)
    assert (status, code) == (400, "invalid_argument")
    assert message.startswith("invalid filter: failed to compile filter:")
    _, _, message = api.error("ListMemos", {"orderBy": "title desc"}, token)
    assert "unsupported order field: title" in message
    _, _, message = api.error("ListMemos", {"orderBy": "display_time up"}, token)
    assert "invalid order direction: up" in message
    assert "empty order_by" in api.error("ListMemos", {"orderBy": "   "}, token)[2]


def test_display_with_update_time_orders_by_update_time(api: MemoApi, stores: Stores) -> None:
    token = token_of(add_user(stores, "updater", role=Role.ADMIN))
    older = api.create(
        token, "older", createTime="2024-01-01T00:00:00Z", updateTime="2024-03-01T00:00:00Z"
    )
    api.create(token, "newer", createTime="2024-02-01T00:00:00Z", updateTime="2024-02-02T00:00:00Z")
    stores.instance_settings.upsert("MEMO_RELATED", {"displayWithUpdateTime": True})
    reply = api.list(token)
    assert contents(reply) == ["older", "newer"]
    assert reply["memos"][0]["displayTime"] == older["updateTime"]


def test_concurrent_creates_list_exactly_once(api: MemoApi, stores: Stores) -> None:
    token = token_of(add_user(stores, "racer"))
    threads = [threading.Thread(target=api.create, args=(token, f"c{i}")) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(contents(api.list(token, pageSize=100))) == sorted(f"c{i}" for i in range(8))


def test_a_saved_shortcut_filter_works_as_is_in_list_memos(api: MemoApi, stores: Stores) -> None:
    # Given a user's memos and a shortcut saved through ShortcutService
    user = add_user(stores, "shortcutter")
    token = token_of(user)
    for content in ("#work a", "#meeting b", "#personal c"):
        api.create(token, content)
    shortcut = api.ok(
        "CreateShortcut",
        {
            "parent": f"users/{user.id}",
            "shortcut": {"title": "Work", "filter": 'tag in ["work"] || tag in ["meeting"]'},
        },
        token,
        service="ShortcutService",
    )

    # When the web app splices it, unparenthesised, after the creator condition
    spliced = f"creator_id == {user.id} && {shortcut['filter']}"
    reply = api.list(token, filter=spliced)

    # Then CEL precedence applies: (creator && work) || meeting
    assert contents(reply) == ["#meeting b", "#work a"]
