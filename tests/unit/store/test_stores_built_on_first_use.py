"""A function's cold start imports only the repositories it uses: ``Stores`` builds each one,
and imports its module, the first time it is asked for."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from msgspec.structs import replace

from memos.store.shortcuts import Shortcut, new_shortcut_id
from tests.fresh_interpreter import modules_loaded_by

if TYPE_CHECKING:
    from memos.store import Stores

# Repositories the shortcut function never touches (memos, their listing and extras, attachments,
# webhooks, notifications, activities, identity providers).
NOT_USED_BY_SHORTCUTS = (
    "memos.store.memos",
    "memos.store.memo_listing",
    "memos.store.memo_extras",
    "memos.store.attachments",
    "memos.store.webhooks",
    "memos.store.notifications",
    "memos.store.activities",
    "memos.store.identity_providers",
)


def test_importing_the_shortcut_handler_imports_only_the_repositories_it_uses() -> None:
    # Given a fresh interpreter, as on a Lambda cold start
    # When it imports the shortcut function's handler (which builds its stores and service)
    loaded = modules_loaded_by("import functions.shortcut.handler")

    # Then the shortcut repository is loaded and none of the others it never uses
    assert "memos.store.shortcuts" in loaded
    assert sorted(name for name in NOT_USED_BY_SHORTCUTS if name in loaded) == []


def test_building_stores_imports_no_repository_module() -> None:
    # Given a fresh interpreter / When it builds stores over a table without touching them
    loaded = modules_loaded_by(
        "from memos.store import stores_for_table\n"
        "from memos.store.table import DynamoTable\n"
        "stores = stores_for_table(DynamoTable(None, 'memos'))"
    )

    # Then no repository's module has been imported yet
    repositories = {"memos.store.users", "memos.store.counters", *NOT_USED_BY_SHORTCUTS}
    assert sorted(repositories & loaded) == []


@pytest.mark.parametrize("name", ["users", "memos", "counters", "shortcuts", "memo_lister"])
def test_a_repository_is_built_once_and_then_reused(memory_stores: Stores, name: str) -> None:
    # Given stores whose repository has been asked for once
    first = getattr(memory_stores, name)

    # When it is asked for again
    again = getattr(memory_stores, name)

    # Then the same repository comes back (patches and caches on it hold)
    assert again is first


def test_replaced_stores_share_the_table_and_see_the_same_data(memory_stores: Stores) -> None:
    # Given a shortcut written through one set of stores
    created = memory_stores.shortcuts.create(
        Shortcut(1, new_shortcut_id(), "Work", 'tag in ["work"]')
    )

    # When stores made from them by ``msgspec.structs.replace`` read it
    copy = replace(memory_stores)
    found = copy.shortcuts.list_for_user(1)

    # Then they read the same table, through repositories of their own
    assert copy.table is memory_stores.table
    assert copy.shortcuts is not memory_stores.shortcuts
    assert found == [created]
