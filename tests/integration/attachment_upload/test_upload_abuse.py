"""Starting a direct upload with sizes a careless or hostile client sends: each is a clear
INVALID_ARGUMENT, never a server error."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.integration.attachment_upload.conftest import add_user

if TYPE_CHECKING:
    from memos.store import Stores
    from tests.integration.attachment_upload.conftest import UploadsApi

SIZE_RULE = "size must be a non-negative integer (bytes)"


@pytest.mark.parametrize(
    "size",
    ["\u00b2", "\u0661\u0662", "1.5", " 12", "-1", -1, 1.5, True, None, [], {}, "9" * 5000],
    ids=repr,
)
def test_a_size_that_is_no_count_of_bytes_is_refused(
    uploads: UploadsApi, stores: Stores, size: object
) -> None:
    # Given a signed-in user
    alice = add_user(stores, "alice")

    # When they start an upload declaring that size
    response = uploads.start(alice, {"filename": "a.bin", "size": size})

    # Then it is a 400 naming the rule (a missing size says it is required)
    assert response.status == 400, response.body
    expected = "size is required" if size is None else SIZE_RULE
    assert response.json()["message"] == expected
