"""The access rule every attachment read goes through (spec attachments.md §7)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from msgspec.structs import replace

from functions.attachment.access import check_read_access
from memos.domain.enums import Role
from memos.errors import NotFoundError, PermissionDeniedError, UnauthenticatedError
from memos.store.attachments import Attachment
from tests.integration.attachment.conftest import add_memo, add_user

if TYPE_CHECKING:
    from memos.store import Stores
    from memos.store.users import User

ALLOWED = None


def _attachment(creator: User, memo_uid: str | None) -> Attachment:
    return Attachment(
        id=1,
        uid="file1",
        creator_id=creator.id,
        filename="a.txt",
        type="text/plain",
        size=1,
        created_ts=1,
        updated_ts=1,
        memo_uid=memo_uid,
    )


@pytest.mark.parametrize(
    ("visibility", "who", "outcome"),
    [
        (None, "anonymous", UnauthenticatedError),
        (None, "other", PermissionDeniedError),
        (None, "admin", ALLOWED),
        (None, "uploader", ALLOWED),
        ("PUBLIC", "anonymous", ALLOWED),
        ("PUBLIC", "other", ALLOWED),
        ("PROTECTED", "anonymous", UnauthenticatedError),
        ("PROTECTED", "other", ALLOWED),
        ("PROTECTED", "uploader", ALLOWED),
        ("PRIVATE", "anonymous", UnauthenticatedError),
        ("PRIVATE", "other", PermissionDeniedError),
        ("PRIVATE", "admin", ALLOWED),
        ("PRIVATE", "uploader", PermissionDeniedError),
        ("PRIVATE", "memo_creator", ALLOWED),
    ],
)
def test_read_access_follows_the_matrix(
    stores: Stores, visibility: str | None, who: str, outcome: type[Exception] | None
) -> None:
    # Given an attachment uploaded by one user, linked (or not) to another user's memo
    uploader = add_user(stores, "uploader")
    memo_creator = add_user(stores, "writer")
    callers = {
        "anonymous": None,
        "other": add_user(stores, "other"),
        "admin": add_user(stores, "admin", role=Role.ADMIN),
        "uploader": uploader,
        "memo_creator": memo_creator,
    }
    memo_uid = None
    if visibility is not None:
        memo_uid = add_memo(stores, memo_creator.id, "memo1", visibility).uid
    attachment = _attachment(uploader, memo_uid)

    # When the caller asks to read it / Then the matrix decides
    if outcome is None:
        check_read_access(stores, attachment, lambda: callers[who])
    else:
        with pytest.raises(outcome):
            check_read_access(stores, attachment, lambda: callers[who])


def test_a_public_memos_attachment_never_looks_up_the_caller(stores: Stores) -> None:
    # Given an attachment of a PUBLIC memo
    uploader = add_user(stores, "uploader")
    memo_uid = add_memo(stores, uploader.id, "memo1", "PUBLIC").uid
    attachment = _attachment(uploader, memo_uid)
    looked_up: list[bool] = []

    def caller() -> None:
        looked_up.append(True)

    # When its read access is checked
    open_to_anyone = check_read_access(stores, attachment, caller)

    # Then anyone may read it, and no token or cookie was checked to say so
    assert open_to_anyone is True
    assert looked_up == []


def test_read_access_to_an_attachment_of_a_vanished_memo_is_not_found(stores: Stores) -> None:
    # Given an attachment whose record still names a memo that no longer exists
    uploader = add_user(stores, "uploader")
    attachment = replace(_attachment(uploader, None), memo_uid="gone")

    # When even its uploader reads it / Then the memo is reported missing
    with pytest.raises(NotFoundError, match="memo not found"):
        check_read_access(stores, attachment, lambda: uploader)
