"""Linking attachments to a memo takes only the linker's or the memo creator's uploads: Memos
moves any attachment whose uid one knows, so a user could take a file off someone's PROTECTED
memo and show it, to anyone, on a PUBLIC memo of their own."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from functions.memo.writing import MemoDraft, MemoWriter
from memos.store.users import Role
from tests.integration.memo.conftest import add_attachment, add_user, token_of

if TYPE_CHECKING:
    from memos.store import Stores
    from tests.integration.memo.conftest import MemoApi


def _alices_attachment_on_her_memo(stores: Stores) -> str:
    alice = add_user(stores, "alice")
    draft = MemoDraft(content="team only", visibility="PROTECTED", created_ts=1, updated_ts=1)
    memo = MemoWriter(stores).create(alice.id, "alices-memo", draft)
    attachment = add_attachment(stores, alice.id, "plan.pdf")
    MemoWriter(stores).set_attachments(memo, [attachment.uid], linked_by=alice.id)
    return attachment.uid


@pytest.mark.parametrize("protocol", ["connect", "rest"])
def test_someone_elses_attachment_cannot_be_moved_onto_ones_memo(
    api: MemoApi, stores: Stores, protocol: str
) -> None:
    # Given alice's file on her PROTECTED memo, and a PUBLIC memo of mallory's
    uid = _alices_attachment_on_her_memo(stores)
    mallory = token_of(add_user(stores, "mallory"))
    memo = api.create(mallory, "look", visibility="PUBLIC")
    body = {"name": memo["name"], "attachments": [{"name": f"attachments/{uid}"}]}

    # When mallory sets her memo's attachments to alice's file
    if protocol == "connect":
        status, _code, message = api.error("SetMemoAttachments", body, mallory)
    else:
        response = api.rest("PATCH", f"/api/v1/{memo['name']}/attachments", body, mallory)
        status, message = response.status, response.json()["message"]

    # Then it is as if the file did not exist, and it stays on alice's memo
    assert (status, message) == (404, f"attachment not found: {uid}")
    stored = stores.attachments.get(uid)
    assert stored is not None and stored.memo_uid == "alices-memo"


def test_creating_a_memo_with_someone_elses_attachment_links_none(
    api: MemoApi, stores: Stores
) -> None:
    # Given alice's file on her memo
    uid = _alices_attachment_on_her_memo(stores)
    mallory = token_of(add_user(stores, "mallory"))

    # When mallory creates a memo naming it
    status, _code, message = api.error(
        "CreateMemo",
        {
            "memo": {
                "content": "x",
                "visibility": "PUBLIC",
                "attachments": [{"name": f"attachments/{uid}"}],
            }
        },
        mallory,
    )

    # Then the link is refused and the file stays where it was
    assert status == 404 and message.endswith(f"attachment not found: {uid}")
    stored = stores.attachments.get(uid)
    assert stored is not None and stored.memo_uid == "alices-memo"


def test_an_admin_editing_a_memo_may_link_the_memo_creators_and_their_own_files(
    api: MemoApi, stores: Stores
) -> None:
    # Given bob's memo, an unlinked upload of bob's and one of the ADMIN's
    bob = add_user(stores, "bob")
    root = add_user(stores, "root", role=Role.ADMIN)
    memo = api.create(token_of(bob), "mine")
    bobs, roots = add_attachment(stores, bob.id, "b.txt"), add_attachment(stores, root.id, "r.txt")
    names = [{"name": f"attachments/{bobs.uid}"}, {"name": f"attachments/{roots.uid}"}]

    # When the ADMIN sets the memo's attachments to both
    api.ok("SetMemoAttachments", {"name": memo["name"], "attachments": names}, token_of(root))

    # Then both are linked
    linked = api.ok("ListMemoAttachments", {"name": memo["name"]}, token_of(bob))["attachments"]
    assert sorted(attachment["name"] for attachment in linked) == sorted(n["name"] for n in names)
