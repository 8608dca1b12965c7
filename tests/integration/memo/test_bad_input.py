"""Bad input on every MemoService method: a clear 4xx naming the problem, never INTERNAL."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from tests.integration.memo.conftest import add_user, token_of

if TYPE_CHECKING:
    from memos.store import Stores
    from tests.integration.memo.conftest import MemoApi

LONG_UID = "x" * 2000


@pytest.fixture
def setup(api: MemoApi, stores: Stores) -> dict[str, Any]:
    user = add_user(stores, "tester")
    token = token_of(user)
    memo = api.create(token, "target", visibility="PUBLIC")
    return {"token": token, "memo": memo["name"]}


CASES: list[tuple[str, Any, str, str]] = [
    # method, request (with {memo} placeholders), expected code, message fragment
    (
        "CreateMemo",
        {"memo": {"content": "x"}, "memoId": "-bad-"},
        "invalid_argument",
        "invalid memo_id format",
    ),
    (
        "CreateMemo",
        {"memo": {"content": "x"}, "memoId": "a" * 33},
        "invalid_argument",
        "invalid memo_id format",
    ),
    ("CreateMemo", {"memoId": "abc"}, "invalid_argument", "memo is required"),
    (
        "CreateMemo",
        {"memo": {"content": "x" * 9000}},
        "invalid_argument",
        "content too long (max 8192",
    ),
    (
        "CreateMemo",
        {"memo": {"content": "x", "attachments": [{"name": "attachments/none"}]}},
        "not_found",
        "failed to set memo attachments: attachment not found: none",
    ),
    (
        "CreateMemo",
        {"memo": {"content": "x", "relations": [{"relatedMemo": {"name": "memos/none"}}]}},
        "not_found",
        "failed to set memo relations",
    ),
    (
        "CreateMemo",
        {"memo": {"content": "x", "relations": [{"relatedMemo": {"name": "bad"}}]}},
        "invalid_argument",
        "invalid related memo name",
    ),
    ("GetMemo", {"name": "memo/abc"}, "invalid_argument", "invalid memo name"),
    ("GetMemo", {"name": "memos/"}, "invalid_argument", "invalid memo name"),
    ("GetMemo", {"name": "memos/a/b"}, "invalid_argument", "invalid memo name"),
    ("GetMemo", {"name": f"memos/{LONG_UID}"}, "invalid_argument", "longer than"),
    ("GetMemo", {"name": "memos/missing"}, "not_found", "memo not found"),
    ("ListMemos", {"filter": "foo == 1"}, "invalid_argument", "undeclared reference"),
    (
        "ListMemos",
        {"filter": 'content.contains("unterminated)'},
        "invalid_argument",
        "invalid filter",
    ),
    ("ListMemos", {"pageToken": "abc.def"}, "invalid_argument", "invalid page token"),
    (
        "UpdateMemo",
        {"memo": {"name": "{memo}", "content": "x"}},
        "invalid_argument",
        "update mask is required",
    ),
    (
        "UpdateMemo",
        {"memo": {"name": "nope"}, "updateMask": "content"},
        "invalid_argument",
        "invalid memo name",
    ),
    (
        "UpdateMemo",
        {"memo": {"name": "memos/missing"}, "updateMask": "content"},
        "not_found",
        "memo not found",
    ),
    (
        "UpdateMemo",
        {"memo": {"name": "{memo}", "content": "x" * 9000}, "updateMask": "content"},
        "invalid_argument",
        "content too long",
    ),
    ("UpdateMemo", {"updateMask": "content"}, "invalid_argument", "memo is required"),
    ("DeleteMemo", {"name": "memos/missing"}, "not_found", "memo not found"),
    ("DeleteMemo", {"name": ""}, "invalid_argument", "invalid memo name"),
    (
        "SetMemoAttachments",
        {"name": "{memo}", "attachments": [{"name": "files/x"}]},
        "invalid_argument",
        "invalid attachment name",
    ),
    (
        "SetMemoAttachments",
        {"name": "{memo}", "attachments": [{"name": "attachments/none"}]},
        "not_found",
        "attachment not found: none",
    ),
    ("ListMemoAttachments", {"name": "memos/missing"}, "not_found", "memo not found"),
    (
        "SetMemoRelations",
        {"name": "{memo}", "relations": [{"relatedMemo": {"name": "memos/missing"}}]},
        "not_found",
        "related memo not found",
    ),
    ("ListMemoRelations", {"name": "memos/missing"}, "not_found", "memo not found"),
    (
        "CreateMemoComment",
        {"name": "memos/missing", "comment": {"content": "x"}},
        "not_found",
        "memo not found",
    ),
    ("CreateMemoComment", {"name": "{memo}"}, "invalid_argument", "comment is required"),
    (
        "CreateMemoComment",
        {"name": "{memo}", "comment": {"content": "x"}, "commentId": "-x"},
        "invalid_argument",
        "failed to create memo: invalid memo_id format",
    ),
    ("ListMemoComments", {"name": "memos/missing"}, "not_found", "memo not found"),
    ("ListMemoReactions", {"name": "bad"}, "invalid_argument", "invalid memo name"),
    (
        "UpsertMemoReaction",
        {"name": "{memo}", "reaction": {"contentId": "bad", "reactionType": "x"}},
        "invalid_argument",
        "invalid memo name",
    ),
    (
        "UpsertMemoReaction",
        {"name": "{memo}", "reaction": {"contentId": "memos/missing", "reactionType": "x"}},
        "not_found",
        "memo not found",
    ),
    ("UpsertMemoReaction", {"name": "{memo}"}, "invalid_argument", "reaction is required"),
    (
        "DeleteMemoReaction",
        {"name": "memos/x/reactions/abc"},
        "invalid_argument",
        "invalid reaction name",
    ),
    ("DeleteMemoReaction", {"name": "reactions/1"}, "invalid_argument", "invalid reaction name"),
]


def _fill(value: Any, memo: str) -> Any:
    if isinstance(value, dict):
        return {key: _fill(inner, memo) for key, inner in value.items()}
    if isinstance(value, list):
        return [_fill(inner, memo) for inner in value]
    return memo if value == "{memo}" else value


@pytest.mark.parametrize(("method", "request_body", "code", "fragment"), CASES)
def test_bad_input_is_a_clear_client_error(
    api: MemoApi, setup: dict[str, Any], method: str, request_body: Any, code: str, fragment: str
) -> None:
    status, got_code, message = api.error(
        method, _fill(request_body, setup["memo"]), setup["token"]
    )
    assert got_code == code, message
    assert fragment in message
    assert status < 500


def test_a_taken_memo_id_is_already_exists(api: MemoApi, setup: dict[str, Any]) -> None:
    api.create(setup["token"], "first", memo_id="taken-id")
    status, code, message = api.error(
        "CreateMemo", {"memo": {"content": "second"}, "memoId": "taken-id"}, setup["token"]
    )
    assert (status, code, message) == (
        409,
        "already_exists",
        'memo with ID "taken-id" already exists',
    )


def test_a_repeated_reaction_is_already_exists(api: MemoApi, setup: dict[str, Any]) -> None:
    body = {"name": setup["memo"], "reaction": {"contentId": setup["memo"], "reactionType": "👍"}}
    api.ok("UpsertMemoReaction", body, setup["token"])
    status, code, _ = api.error("UpsertMemoReaction", body, setup["token"])
    assert (status, code) == (409, "already_exists")
    reactions = api.ok("ListMemoReactions", {"name": setup["memo"]}, setup["token"])["reactions"]
    assert len(reactions) == 1


def test_disallowed_public_visibility_is_permission_denied(
    api: MemoApi, stores: Stores, setup: dict[str, Any]
) -> None:
    stores.instance_settings.upsert("MEMO_RELATED", {"disallowPublicVisibility": True})
    _, code, message = api.error(
        "CreateMemo", {"memo": {"content": "x", "visibility": "PUBLIC"}}, setup["token"]
    )
    assert (code, message) == (
        "permission_denied",
        "disable public memos system setting is enabled",
    )
