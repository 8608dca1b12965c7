"""ListAttachments: own uploads only, newest update first, filtered and paged (spec §3.2 and
filters.md §8)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from memos.domain.enums import Role
from tests.integration.attachment.conftest import (
    add_memo,
    add_user,
    build_api,
    ticking_clock,
    token_of,
)

if TYPE_CHECKING:
    from pathlib import Path

    from memos.store import Stores
    from tests.integration.attachment.conftest import AttachmentApi


def _names(reply: dict[str, Any]) -> list[str]:
    return [item["filename"] for item in reply.get("attachments", [])]


@pytest.fixture
def api(stores: Stores, tmp_path: Path) -> AttachmentApi:
    """Each write takes the next second, so update times order the uploads."""
    return build_api(stores, tmp_path, ticking_clock())


def test_list_shows_only_own_uploads_newest_first(api: AttachmentApi, stores: Stores) -> None:
    # Given uploads by alice and one by an ADMIN
    alice = token_of(add_user(stores, "alice"))
    admin = token_of(add_user(stores, "root", role=Role.ADMIN))
    for name in ("one.txt", "two.txt", "three.txt"):
        api.create(alice, name, b"x")
    api.create(admin, "admin.txt", b"x")

    # When each lists
    mine = api.ok("ListAttachments", {}, alice)
    theirs = api.ok("ListAttachments", {}, admin)

    # Then each sees their own only (ADMINs too), newest first; total_size counts the page
    assert _names(mine) == ["three.txt", "two.txt", "one.txt"]
    assert mine["totalSize"] == 3
    assert "nextPageToken" not in mine
    assert _names(theirs) == ["admin.txt"]


def test_list_pages_through_with_tokens(api: AttachmentApi, stores: Stores) -> None:
    # Given five uploads
    token = token_of(add_user(stores, "alice"))
    for index in range(5):
        api.create(token, f"f{index}.txt", b"x")

    # When listed two at a time
    first = api.ok("ListAttachments", {"pageSize": 2}, token)
    second = api.ok("ListAttachments", {"pageSize": 2, "pageToken": first["nextPageToken"]}, token)
    third = api.ok("ListAttachments", {"pageSize": 2, "pageToken": second["nextPageToken"]}, token)

    # Then every upload comes once, in order, and the last page has no token
    assert _names(first) + _names(second) + _names(third) == [
        "f4.txt",
        "f3.txt",
        "f2.txt",
        "f1.txt",
        "f0.txt",
    ]
    assert "nextPageToken" not in third


def test_list_accepts_memos_decimal_offsets(api: AttachmentApi, stores: Stores) -> None:
    # Given five uploads
    token = token_of(add_user(stores, "alice"))
    for index in range(5):
        api.create(token, f"f{index}.txt", b"x")

    # When a client sends Memos' own offset token ("%d" reading: "3abc" is 3)
    reply = api.ok("ListAttachments", {"pageSize": 10, "pageToken": "3abc"}, token)

    # Then the list starts after three
    assert _names(reply) == ["f1.txt", "f0.txt"]


@pytest.mark.parametrize("token", ["abc", "x.y", "not-a-number"])
def test_list_refuses_foreign_page_tokens(api: AttachmentApi, stores: Stores, token: str) -> None:
    user = token_of(add_user(stores, "alice"))
    status, code, message = api.error("ListAttachments", {"pageToken": token}, user)
    assert (status, code, message) == (400, "invalid_argument", "invalid page token")


def test_list_token_is_bound_to_its_filter(api: AttachmentApi, stores: Stores) -> None:
    # Given a token issued for one filter
    token = token_of(add_user(stores, "alice"))
    for index in range(3):
        api.create(token, f"f{index}.txt", b"x")
    first = api.ok("ListAttachments", {"pageSize": 1, "filter": 'filename != "x"'}, token)

    # When it is replayed with another filter / Then it is refused
    status, _, message = api.error(
        "ListAttachments", {"pageSize": 1, "pageToken": first["nextPageToken"]}, token
    )
    assert (status, message) == (400, "invalid page token")


def test_list_filters_by_name_type_time_and_memo(api: AttachmentApi, stores: Stores) -> None:
    # Given a linked image, an unlinked image and an unlinked text file
    user = add_user(stores, "alice")
    token = token_of(user)
    memo = add_memo(stores, user.id, "memo1")
    api.create(token, "Photo.png", b"x", memo="memos/memo1")
    api.create(token, "other.png", b"x")
    api.create(token, "notes.txt", b"x")

    def listed(text: str) -> list[str]:
        return _names(api.ok("ListAttachments", {"filter": text}, token))

    # When filtered / Then Memos' attachment filter fields apply
    assert listed('filename.contains("PHOTO")') == ["Photo.png"]
    assert listed('mime_type == "image/png"') == ["other.png", "Photo.png"]
    assert listed("memo_id == null") == ["notes.txt", "other.png"]
    assert listed(f"memo_id == {memo.id}") == ["Photo.png"]
    assert listed("create_time >= 1700000002") == ["notes.txt", "other.png"]


def test_filtered_paging_skips_non_matching_uploads(api: AttachmentApi, stores: Stores) -> None:
    # Given text files and images interleaved
    token = token_of(add_user(stores, "alice"))
    for index in range(6):
        api.create(token, f"f{index}.png" if index % 2 else f"f{index}.txt", b"x")

    # When the images are listed one per page
    seen: list[str] = []
    request: dict[str, object] = {"pageSize": 1, "filter": 'mime_type == "image/png"'}
    for _ in range(4):
        reply = api.ok("ListAttachments", request, token)
        seen += _names(reply)
        if "nextPageToken" not in reply:
            break
        request["pageToken"] = reply["nextPageToken"]

    # Then each image comes once
    assert seen == ["f5.png", "f3.png", "f1.png"]


def test_list_refuses_a_bad_filter(api: AttachmentApi, stores: Stores) -> None:
    token = token_of(add_user(stores, "alice"))
    status, code, message = api.error("ListAttachments", {"filter": "content == 1"}, token)
    assert (status, code) == (400, "invalid_argument")
    assert message.startswith("invalid filter: failed to compile filter:")


def test_list_without_a_user_is_unauthenticated(api: AttachmentApi) -> None:
    status, code, _ = api.error("ListAttachments", {})
    assert (status, code) == (401, "unauthenticated")


def test_list_of_five_with_limit_three_and_offset_two_gives_three(
    api: AttachmentApi, stores: Stores
) -> None:
    # Given five uploads (spec §9, store-level paging)
    token = token_of(add_user(stores, "alice"))
    for index in range(5):
        api.create(token, f"f{index}.txt", b"x")

    # When three are asked for, after two
    reply = api.ok("ListAttachments", {"pageSize": 3, "pageToken": "2"}, token)

    # Then three come back
    assert _names(reply) == ["f2.txt", "f1.txt", "f0.txt"]


def test_the_web_apps_delete_unused_loop_reaches_every_unlinked_upload(
    api: AttachmentApi, stores: Stores
) -> None:
    # Given five unlinked uploads and a linked one
    user = add_user(stores, "alice")
    token = token_of(user)
    add_memo(stores, user.id, "memo1")
    api.create(token, "kept.txt", b"x", memo="memos/memo1")
    for index in range(5):
        api.create(token, f"unused{index}.txt", b"x")

    # When pages of unlinked ones are deleted while following the tokens (as the web app does)
    request: dict[str, Any] = {"pageSize": 2, "filter": "memo_id == null"}
    for _ in range(5):
        reply = api.ok("ListAttachments", request, token)
        for item in reply.get("attachments", []):
            api.ok("DeleteAttachment", {"name": item["name"]}, token)
        if "nextPageToken" not in reply:
            break
        request["pageToken"] = reply["nextPageToken"]

    # Then only the linked upload is left
    assert _names(api.ok("ListAttachments", {}, token)) == ["kept.txt"]


def test_filename_equality_finds_only_the_callers_file(api: AttachmentApi, stores: Stores) -> None:
    # Given an EPUB uploaded by one user (spec §9, store-level lookups)
    owner = token_of(add_user(stores, "u101"))
    other = token_of(add_user(stores, "u102"))
    api.create(owner, "test.epub", b"x", type="application/epub+zip")

    # When looked up by name / Then only its owner finds it, and only under its own name
    assert _names(api.ok("ListAttachments", {"filter": 'filename == "test.epub"'}, owner)) == [
        "test.epub"
    ]
    assert _names(api.ok("ListAttachments", {"filter": 'filename == "test.png"'}, owner)) == []
    assert _names(api.ok("ListAttachments", {"filter": 'filename == "test.epub"'}, other)) == []
