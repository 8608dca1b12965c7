"""Filenames have a length limit (Memos has none): a huge one would break the record's item,
the listing copies and every answer's Content-Disposition."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from memos.domain.attachment_files import FILENAME_TOO_LONG, MAX_FILENAME_BYTES
from tests.integration.attachment.conftest import add_user, token_of

if TYPE_CHECKING:
    from memos.store import Stores
    from tests.integration.attachment.conftest import AttachmentApi, MemoryBlobs

# Over 1,024 bytes as UTF-8 (the accented one in 515 characters): bytes count, not characters.
TOO_LONG = ["a" * (MAX_FILENAME_BYTES - 3) + ".txt", "é" * 511 + ".txt", "a" * 500_000]


@pytest.mark.parametrize("protocol", ["connect", "rest"])
@pytest.mark.parametrize("name", TOO_LONG, ids=["ascii", "accented", "half-megabyte"])
def test_create_refuses_a_filename_over_the_limit_and_stores_nothing(
    api: AttachmentApi, stores: Stores, blobs: MemoryBlobs, protocol: str, name: str
) -> None:
    # Given a signed-in user
    token = token_of(add_user(stores, "alice"))
    attachment = {"filename": name, "content": "YQ=="}

    # When they upload a file with that name
    if protocol == "connect":
        status, _code, message = api.error("CreateAttachment", {"attachment": attachment}, token)
    else:
        response = api.rest("POST", "/api/v1/attachments", attachment, token)
        status, message = response.status, response.json()["message"]

    # Then it is a 400 naming the limit, and nothing was written
    assert (status, message) == (400, FILENAME_TOO_LONG)
    assert blobs.objects == {}


def test_a_name_at_the_limit_is_accepted_and_a_rename_over_it_is_not(
    api: AttachmentApi, stores: Stores
) -> None:
    # Given an upload whose name is exactly the limit
    token = token_of(add_user(stores, "alice"))
    created = api.create(token, "a" * (MAX_FILENAME_BYTES - 4) + ".txt", b"a")

    # When it is renamed to one byte more
    body = {
        "attachment": {"name": created["name"], "filename": "a" * MAX_FILENAME_BYTES + ".txt"},
        "updateMask": "filename",
    }
    status, _code, message = api.error("UpdateAttachment", body, token)

    # Then the rename is refused
    assert (status, message) == (400, FILENAME_TOO_LONG)
