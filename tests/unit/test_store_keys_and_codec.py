"""The key builder's shapes and the attribute-value codec's round trips."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import memos
from memos.store import keys
from memos.store.codec import from_item, to_item


def test_padded_ids_sort_like_numbers() -> None:
    ids = [1, 9, 10, 99, 100, 2_147_483_647]
    assert sorted(keys.padded(i) for i in ids) == [keys.padded(i) for i in ids]
    with pytest.raises(ValueError, match="non-negative"):
        keys.padded(-1)


def test_user_items_share_the_user_partition() -> None:
    partition = keys.user_partition(7)
    for key in (
        keys.user_key(7),
        keys.user_setting_key(7, "GENERAL"),
        keys.pat_key(7, "t"),
        keys.session_key(7, "s"),
        keys.webhook_key(7, "w"),
        keys.inbox_key(7, 3),
        keys.user_stats_key(7, "PUBLIC"),
    ):
        assert key.pk == partition
    assert keys.user_key(7).attributes() == {"pk": "USER#7", "sk": "PROFILE"}
    assert keys.inbox_key(7, 3).sk == "INBOX#0000000003"


def test_lookup_items_have_their_own_partitions() -> None:
    assert keys.username_key("Alice").attributes() == {"pk": "USERNAME#Alice", "sk": "USERNAME"}
    assert keys.pat_hash_key("ab").attributes() == {"pk": "PATHASH#ab", "sk": "PAT"}
    assert keys.counter_key("memos").attributes() == {"pk": "COUNTER#memos", "sk": "COUNTER"}
    assert keys.instance_setting_key("GENERAL").attributes() == {
        "pk": "INSTANCE",
        "sk": "SETTING#GENERAL",
    }


def test_index_keys_name_the_index_attributes() -> None:
    assert keys.users_index_key(12).attributes() == {
        "gsi1pk": "USERS",
        "gsi1sk": "USER#0000000012",
    }
    assert keys.users_by_role_index_key("ADMIN", 12).attributes() == {
        "gsi2pk": "USERS#ROLE#ADMIN",
        "gsi2sk": "USER#0000000012",
    }
    assert keys.user_stats_index_key(12, "PUBLIC").attributes() == {
        "gsi1pk": "USERSTATS",
        "gsi1sk": "USER#0000000012#PUBLIC",
    }
    assert keys.inbox_by_id_index_key(5).attributes() == {"gsi2pk": "INBOX#5", "gsi2sk": "INBOX"}


def test_codec_round_trips_plain_values_and_drops_none() -> None:
    values = {
        "text": "日本語 🦄",
        "count": 3,
        "big": 2**62,
        "ratio": 0.1,
        "flag": False,
        "blob": b"\x00\xff",
        "nested": {"list": [1, "two", {"three": 3.5}], "empty": {}},
        "absent": None,
    }
    item = to_item(values)
    assert "absent" not in item
    assert item["count"] == {"N": "3"}
    decoded = from_item(item)
    assert decoded == {name: value for name, value in values.items() if value is not None}
    assert isinstance(decoded["count"], int)
    assert isinstance(decoded["ratio"], float)


def test_importing_the_schema_does_not_import_boto3() -> None:
    # the infrastructure imports memos.store.schema; the package must stay light
    shared = str(Path(memos.__file__).resolve().parents[1])
    code = "import sys, memos.store.schema; print('boto3' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": shared},
    )
    assert result.stdout.strip() == "False"
