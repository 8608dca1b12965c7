"""GetUserStats and ListAllUserStats over the per-user stats items (users.md §5, §14).

The memo write path maintains the stats items; here a helper records memos the way it will
(one item per creator and visibility), so these tests pin down what the reads make of them.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from msgspec.structs import replace

from memos.domain.enums import Role
from memos.store.user_stats import MemoTimes, UserStats
from tests.integration.user.conftest import add_user, error_of, token_of

if TYPE_CHECKING:
    from memos.store import Stores
    from tests.integration.user.conftest import UserApi


def record_memo(
    stores: Stores,
    creator_id: int,
    visibility: str,
    *,
    tags: tuple[str, ...] = (),
    created: int = 1_700_000_000,
    updated: int | None = None,
    pinned_id: int | None = None,
    has_link: bool = False,
    has_code: bool = False,
    has_task_list: bool = False,
    has_incomplete_tasks: bool = False,
) -> None:
    """Count one memo into its creator's stats, as the memo write path does."""
    [current] = stores.user_stats.get(creator_id, [visibility])
    tag_count = Counter(current.tag_count)
    tag_count.update(tags)
    saved = stores.user_stats.save(
        replace(
            current,
            total=current.total + 1,
            link_count=current.link_count + has_link,
            code_count=current.code_count + has_code,
            todo_count=current.todo_count + has_task_list,
            undo_count=current.undo_count + has_incomplete_tasks,
            tag_count=dict(tag_count),
            pinned_memo_ids=current.pinned_memo_ids + ((pinned_id,) if pinned_id else ()),
            memo_times=(*current.memo_times, MemoTimes(created, updated or created)),
        )
    )
    assert saved is not None


def stats_of(api: UserApi, user_id: int, token: str | None = None) -> dict[str, object]:
    return api.ok("GetUserStats", {"name": f"users/{user_id}"}, token)  # type: ignore[no-any-return]


def test_tag_counts_follow_the_stored_tags(api: UserApi, stores: Stores) -> None:
    # Given an ADMIN with one PUBLIC memo tagged "test" (its content also says #test)
    admin = add_user(stores, "test_user", role=Role.ADMIN)
    record_memo(stores, admin.id, "PUBLIC", tags=("test",))

    # Then the tag counts once, not once more for the content
    assert stats_of(api, admin.id, token_of(admin))["tagCount"] == {"test": 1}

    # When a second memo tagged "test" is added
    record_memo(stores, admin.id, "PUBLIC", tags=("test",), created=1_700_000_100)
    # Then it counts 2
    assert stats_of(api, admin.id, token_of(admin))["tagCount"] == {"test": 2}

    # When a third memo tagged "unique" is added
    record_memo(stores, admin.id, "PUBLIC", tags=("unique",), created=1_700_000_200)
    # Then "unique" counts 1 and "test" still 2
    assert stats_of(api, admin.id, token_of(admin))["tagCount"] == {"test": 2, "unique": 1}


def test_stats_fields_are_filled_from_the_counters(api: UserApi, stores: Stores) -> None:
    # Given a user with two public memos, one pinned, with links, code and tasks
    user = add_user(stores, "alice")
    record_memo(stores, user.id, "PUBLIC", created=100, has_link=True, has_code=True, pinned_id=11)
    record_memo(
        stores, user.id, "PUBLIC", created=200, has_task_list=True, has_incomplete_tasks=True
    )

    # When anyone reads the stats
    stats = stats_of(api, user.id)

    # Then every field reflects them; display times are newest first
    assert stats["name"] == f"users/{user.id}/stats"
    assert stats["totalMemoCount"] == 2
    assert stats["memoTypeStats"] == {
        "linkCount": 1,
        "codeCount": 1,
        "todoCount": 1,
        "undoCount": 1,
    }
    assert stats["pinnedMemos"] == [f"users/{user.id}/memos/11"]
    assert stats["memoDisplayTimestamps"] == ["1970-01-01T00:03:20Z", "1970-01-01T00:01:40Z"]


def test_display_times_use_update_time_when_the_instance_says_so(
    api: UserApi, stores: Stores
) -> None:
    user = add_user(stores, "alice")
    record_memo(stores, user.id, "PUBLIC", created=100, updated=160)
    stores.instance_settings.upsert("MEMO_RELATED", {"displayWithUpdateTime": True})
    assert stats_of(api, user.id)["memoDisplayTimestamps"] == ["1970-01-01T00:02:40Z"]


def test_visibility_decides_what_each_caller_counts(api: UserApi, stores: Stores) -> None:
    # Given alice with one memo of each visibility, and bob and an ADMIN
    alice = add_user(stores, "alice")
    bob = add_user(stores, "bob")
    admin = add_user(stores, "admin", role=Role.ADMIN)
    for visibility in ("PUBLIC", "PROTECTED", "PRIVATE"):
        record_memo(stores, alice.id, visibility, tags=(visibility.lower(),))

    # When anonymous, bob, the ADMIN and alice read alice's stats
    anonymous = stats_of(api, alice.id)
    as_bob = stats_of(api, alice.id, token_of(bob))
    as_admin = stats_of(api, alice.id, token_of(admin))
    as_alice = stats_of(api, alice.id, token_of(alice))

    # Then anonymous sees PUBLIC, others PUBLIC+PROTECTED (ADMIN no more), alice all
    assert anonymous["totalMemoCount"] == 1
    assert as_bob["totalMemoCount"] == 2
    assert as_admin["tagCount"] == as_bob["tagCount"] == {"public": 1, "protected": 1}
    assert as_alice["totalMemoCount"] == 3


def test_unknown_user_has_empty_stats(api: UserApi) -> None:
    stats = stats_of(api, 4242)
    assert stats == {"name": "users/4242/stats", "memoTypeStats": {}}


def test_stats_by_username_is_invalid_argument(api: UserApi) -> None:
    status, code, message = error_of(api.connect("GetUserStats", {"name": "users/steven"}))
    assert (status, code) == (400, "invalid_argument")
    assert "invalid user ID" in message


def test_list_all_stats_by_caller(api: UserApi, stores: Stores) -> None:
    # Given alice (public + private memos), bob (protected only) and carol (private only)
    alice = add_user(stores, "alice")
    bob = add_user(stores, "bob")
    carol = add_user(stores, "carol")
    record_memo(stores, alice.id, "PUBLIC", tags=("a",))
    record_memo(stores, alice.id, "PRIVATE", tags=("secret",))
    record_memo(stores, bob.id, "PROTECTED", tags=("b",))
    record_memo(stores, carol.id, "PRIVATE", tags=("c",))

    def totals(token: str | None) -> dict[str, int]:
        listed = api.ok("ListAllUserStats", {}, token)
        return {entry["name"]: entry["totalMemoCount"] for entry in listed.get("stats", [])}

    # Then anonymous counts only PUBLIC memos; users with nothing visible are absent
    assert totals(None) == {f"users/{alice.id}/stats": 1}
    # And carol counts her own memos plus others' PUBLIC and PROTECTED ones
    assert totals(token_of(carol)) == {
        f"users/{alice.id}/stats": 1,
        f"users/{bob.id}/stats": 1,
        f"users/{carol.id}/stats": 1,
    }
    # And alice sees her private memo too
    assert totals(token_of(alice))[f"users/{alice.id}/stats"] == 2


def test_stats_over_rest(api: UserApi, stores: Stores) -> None:
    user = add_user(stores, "alice")
    record_memo(stores, user.id, "PUBLIC", tags=("x",))
    single = api.rest("GET", f"/api/v1/users/{user.id}:getStats")
    everyone = api.rest("GET", "/api/v1/users:stats")
    assert single.status == 200 and single.json()["tagCount"] == {"x": 1}
    assert (
        everyone.status == 200 and everyone.json()["stats"][0]["name"] == f"users/{user.id}/stats"
    )


def test_recorded_memos_accumulate_in_one_item_per_visibility(stores: Stores) -> None:
    # A guard for the helper above: the read-modify-write keeps one item per visibility
    user = add_user(stores, "alice")
    record_memo(stores, user.id, "PUBLIC")
    record_memo(stores, user.id, "PUBLIC")
    [public] = stores.user_stats.get(user.id, ["PUBLIC"])
    assert isinstance(public, UserStats) and public.total == 2 and public.version == 2
