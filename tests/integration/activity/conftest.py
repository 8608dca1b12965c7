"""ActivityService over Connect (JSON and binary) and REST, with the store in moto.

- ``api``: an :class:`ActivityApi` around the app of one ``ActivityService``; ``token-<id>``
  identifies the stored user ``<id>`` (as in the user tests).
- :func:`add_memo` / :func:`delete_memo`: a bare memo item, which is all the existence check
  reads (the memo service writes the real ones).
- :func:`add_activity` / :func:`add_comment`: an activity stored through
  ``ActivityStore.prepare`` in a transaction of its own, as the memo comment flow does it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from functions.activity.service import ActivityService
from memos.rpc.app import create_service_app
from memos.store import keys
from tests.integration.user.conftest import TokensForUsers
from tests.service_api import ServiceApi

if TYPE_CHECKING:
    from memos.store import Stores
    from memos.store.activities import Activity
    from memos.store.users import User

SERVICE = "/memos.api.v1.ActivityService/"
CREATED_TS = 1_735_700_400  # 2025-01-01T03:00:00Z


class ActivityApi(ServiceApi):
    service: str = "ActivityService"


def add_memo(stores: Stores, uid: str) -> str:
    stores.table.put(keys.memo_key(uid).attributes())
    return uid


def delete_memo(stores: Stores, uid: str) -> None:
    stores.table.delete(keys.memo_key(uid))


def add_activity(
    stores: Stores,
    creator: User,
    memo_uid: str | None,
    related_memo_uid: str | None,
    created_ts: int = CREATED_TS,
) -> Activity:
    activity, write = stores.activities.prepare(creator.id, memo_uid, related_memo_uid, created_ts)
    stores.table.transact([write])
    return activity


def add_comment(
    stores: Stores, commenter: User, parent_uid: str, comment_uid: str, created_ts: int = CREATED_TS
) -> Activity:
    """A comment memo on ``parent_uid`` and the activity a comment by another user records."""
    add_memo(stores, comment_uid)
    return add_activity(stores, commenter, comment_uid, parent_uid, created_ts)


@pytest.fixture
def stores(memory_stores: Stores) -> Stores:
    """Rule tests run on the in-memory table; the store's own tests take ``moto_stores``."""
    return memory_stores


@pytest.fixture
def api(stores: Stores) -> ActivityApi:
    app = create_service_app(
        ActivityService(stores), verifier=TokensForUsers(stores), cors_origins=[]
    )
    return ActivityApi(app)
