"""ActivityStore on DynamoDB: what Memos' store tests assert (store/test/activity_test.go)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from memos.domain.enums import ActivityLevel, ActivityType
from memos.store.activities import Activity
from tests.integration.activity.conftest import CREATED_TS, add_activity
from tests.integration.user.conftest import add_user

if TYPE_CHECKING:
    from memos.store import Stores


@pytest.fixture
def stores(moto_stores: Stores) -> Stores:
    """The store's own tests run on DynamoDB as moto emulates it, not on the in-memory table."""
    return moto_stores


def test_activity_with_empty_payload_is_listed_and_found_by_id(stores: Stores) -> None:
    # Given a MEMO_COMMENT activity with an empty payload
    creator = add_user(stores, "alice")
    created = add_activity(stores, creator, None, None)

    # When it is listed and read by id
    listed = stores.activities.list_newest_first()
    found = stores.activities.get(created.id)

    # Then both give exactly it, with no memo comment
    assert listed == [created]
    assert found == created
    assert found is not None and not found.has_memo_comment
    assert (found.type, found.level) == (ActivityType.MEMO_COMMENT, ActivityLevel.INFO)


def test_unknown_activity_id_is_none(stores: Stores) -> None:
    # Given one activity
    add_activity(stores, add_user(stores, "alice"), None, None)

    # When ids that were never handed out are read
    # Then there is nothing
    assert stores.activities.get(999) is None
    assert stores.activities.get(0) is None
    assert stores.activities.get(-1) is None


def test_payload_creator_level_and_time_round_trip(stores: Stores) -> None:
    # Given a memo-comment activity
    commenter = add_user(stores, "bob")
    created = add_activity(stores, commenter, "comment1", "parent1", created_ts=CREATED_TS + 7)

    # When it is read back
    found = stores.activities.get(created.id)

    # Then every field is as written
    assert found == Activity(
        id=created.id,
        creator_id=commenter.id,
        type="MEMO_COMMENT",
        level="INFO",
        created_ts=CREATED_TS + 7,
        memo_uid="comment1",
        related_memo_uid="parent1",
    )


def test_ids_count_up_and_list_is_newest_first(stores: Stores) -> None:
    # Given two activities stored one after the other
    creator = add_user(stores, "alice")
    first = add_activity(stores, creator, "c1", "p1")
    second = add_activity(stores, creator, "c2", "p1")

    # When every activity is listed
    listed = stores.activities.list_newest_first()

    # Then ids are 1 and 2 and the newer comes first
    assert (first.id, second.id) == (1, 2)
    assert listed == [second, first]


def test_empty_table_lists_no_activities(stores: Stores) -> None:
    # Given no activity at all
    # When every activity is listed
    # Then the list is empty
    assert stores.activities.list_newest_first() == []


def test_prepared_activity_is_not_stored_until_its_write_runs(stores: Stores) -> None:
    # Given an activity prepared for a comment transaction
    creator = add_user(stores, "alice")
    activity, write = stores.activities.prepare(creator.id, "c1", "p1", CREATED_TS)

    # When the write has not run yet, and then runs
    before = stores.activities.get(activity.id)
    stores.table.transact([write])

    # Then it exists only afterwards
    assert before is None
    assert stores.activities.get(activity.id) == activity
