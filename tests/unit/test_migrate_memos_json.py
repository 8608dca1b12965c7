"""The JSON values an export writes into Memos' columns (spec §2, §3, §6)."""

from __future__ import annotations

from migrate.memos_json import dumps, memo_payload, token_entry


def test_a_plain_memo_has_an_empty_property_and_nothing_else() -> None:
    # Given a stored memo without tags, properties or location
    # When its payload is made / Then it is what the API saves for such a memo
    assert dumps(memo_payload({"tags": [], "has_link": False})) == '{"property":{}}'


def test_a_memo_payload_names_properties_location_and_tags_as_memos_reads_them() -> None:
    # Given a stored memo with a link, an open task, a location and a Unicode tag
    memo = {
        "has_link": True,
        "has_task_list": True,
        "has_incomplete_tasks": True,
        "location": {"placeholder": "Berlin", "latitude": 52.52, "longitude": 13},
        "tags": ["标签", "work/meeting"],
    }

    # When its payload is written / Then keys are camelCase, zeros left out, UTF-8 kept raw
    assert dumps(memo_payload(memo)) == (
        '{"property":{"hasLink":true,"hasTaskList":true,"hasIncompleteTasks":true},'
        '"location":{"placeholder":"Berlin","latitude":52.52,"longitude":13.0},'
        '"tags":["标签","work/meeting"]}'
    )


def test_a_token_entry_keeps_the_hash_under_tokenhash_and_leaves_out_what_is_unset() -> None:
    # Given a stored token that never expires and was never used
    token = {"token_id": "t-1", "token_hash": "ab12", "description": "", "created_at": 0}

    # When its entry is made / Then only the id, hash and creation time are written
    assert token_entry(token) == {
        "tokenId": "t-1",
        "tokenHash": "ab12",
        "createdAt": "1970-01-01T00:00:00Z",
    }
