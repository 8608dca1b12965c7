"""The access matrix of spec attachments.md §7 over Connect and REST: read (GetAttachment),
update (uploader or ADMIN) and delete (uploader only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from msgspec import Struct

from functions.attachment.records import record_new_attachment
from memos.domain.enums import Role
from memos.store.blobs import attachment_object_key
from tests.integration.attachment.conftest import add_memo, add_user, token_of

if TYPE_CHECKING:
    from memos.store import Stores
    from tests.integration.attachment.conftest import AttachmentApi

OK = 200


class World(Struct, frozen=True):
    uid: str
    tokens: dict[str, str | None]


def _world(api: AttachmentApi, stores: Stores, visibility: str | None) -> World:
    """An attachment uploaded by "uploader", linked (unless None) to a memo of "writer"."""
    uploader = add_user(stores, "uploader")
    writer = add_user(stores, "writer")
    tokens: dict[str, str | None] = {
        "anonymous": None,
        "other": token_of(add_user(stores, "other")),
        "admin": token_of(add_user(stores, "root", role=Role.ADMIN)),
        "uploader": token_of(uploader),
        "memo_creator": token_of(writer),
    }
    memo_uid = None
    if visibility is not None:
        memo_uid = add_memo(stores, writer.id, "memo1", visibility).uid
    # Written directly: only the memo's creator or an ADMIN may link through the API.
    key = attachment_object_key("attached")
    stores.blobs.put(key, b"abc", "text/plain")
    created = record_new_attachment(
        stores,
        creator_id=uploader.id,
        filename="a.txt",
        mime_type="text/plain",
        size=3,
        storage_key=key,
        memo_uid=memo_uid,
        uid="attached",
    )
    return World(created.uid, tokens)


READ_MATRIX = [
    (None, {"anonymous": 401, "other": 403, "admin": OK, "uploader": OK}),
    ("PUBLIC", {"anonymous": 401, "other": OK, "admin": OK, "uploader": OK, "memo_creator": OK}),
    ("PROTECTED", {"anonymous": 401, "other": OK, "admin": OK, "uploader": OK, "memo_creator": OK}),
    (
        "PRIVATE",
        {"anonymous": 401, "other": 403, "admin": OK, "uploader": 403, "memo_creator": OK},
    ),
]


@pytest.mark.parametrize("transport", ["connect", "rest"])
@pytest.mark.parametrize(("visibility", "expected"), READ_MATRIX)
def test_get_attachment_follows_the_matrix(
    api: AttachmentApi,
    stores: Stores,
    transport: str,
    visibility: str | None,
    expected: dict[str, int],
) -> None:
    # Given an attachment, unlinked or linked to a memo of the given visibility
    world = _world(api, stores, visibility)

    # When each caller reads it
    outcomes = {}
    for who in expected:
        token = world.tokens[who]
        if transport == "connect":
            response = api.connect("GetAttachment", {"name": f"attachments/{world.uid}"}, token)
        else:
            response = api.rest("GET", f"/api/v1/attachments/{world.uid}", token=token)
        outcomes[who] = response.status

    # Then the matrix decides (anonymous callers are stopped before the service: the method
    # is not public, on either transport)
    assert outcomes == expected


@pytest.mark.parametrize("transport", ["connect", "rest"])
def test_only_the_uploader_or_an_admin_may_rename(
    api: AttachmentApi, stores: Stores, transport: str
) -> None:
    # Given an unlinked attachment
    world = _world(api, stores, None)
    outcomes = {}

    # When each caller renames it
    for who in ("other", "admin", "uploader"):
        token = world.tokens[who]
        if transport == "connect":
            body = {
                "attachment": {"name": f"attachments/{world.uid}", "filename": f"{who}.txt"},
                "updateMask": "filename",
            }
            response = api.connect("UpdateAttachment", body, token)
        else:
            response = api.rest(
                "PATCH", f"/api/v1/attachments/{world.uid}", {"filename": f"{who}.txt"}, token
            )
        outcomes[who] = response.status

    # Then other users are denied; the last rename stands
    assert outcomes == {"other": 403, "admin": OK, "uploader": OK}
    stored = stores.attachments.get(world.uid)
    assert stored is not None
    assert stored.filename == "uploader.txt"


@pytest.mark.parametrize("transport", ["connect", "rest"])
def test_only_the_uploader_may_delete(api: AttachmentApi, stores: Stores, transport: str) -> None:
    # Given an attachment on a PUBLIC memo
    world = _world(api, stores, "PUBLIC")
    outcomes = {}

    # When each caller deletes it, the uploader last
    for who in ("other", "admin", "memo_creator", "uploader"):
        token = world.tokens[who]
        if transport == "connect":
            response = api.connect("DeleteAttachment", {"name": f"attachments/{world.uid}"}, token)
        else:
            response = api.rest("DELETE", f"/api/v1/attachments/{world.uid}", token=token)
        outcomes[who] = response.status

    # Then anyone else (ADMINs included) is told it does not exist; the uploader deletes it
    assert outcomes == {"other": 404, "admin": 404, "memo_creator": 404, "uploader": OK}
    assert stores.attachments.get(world.uid) is None
