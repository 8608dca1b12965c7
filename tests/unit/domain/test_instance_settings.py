"""The instance switches services obey, read cheaply from the stored instance settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import memos
from memos.domain.instance_settings import (
    GENERAL,
    MEMO_RELATED,
    GeneralFlags,
    display_with_update_time,
    general_flags,
)
from memos.store.instance_settings import InstanceSetting

if TYPE_CHECKING:
    from memos.store.instance_settings import InstanceSettingStore


class _Settings:
    """Stored values by key, as the store returns them."""

    def __init__(self, values: dict[str, dict[str, Any]]) -> None:
        self._values = values

    def get(self, key: str) -> InstanceSetting | None:
        value = self._values.get(key)
        return InstanceSetting(key, value, updated_at=0) if value is not None else None


def settings(**values: dict[str, Any]) -> InstanceSettingStore:
    return cast("InstanceSettingStore", _Settings(values))


def test_importing_the_module_leaves_the_instance_protos_unloaded() -> None:
    # Given a fresh interpreter, as on a cold start / When the module is imported
    shared = str(Path(memos.__file__).resolve().parents[1])
    code = (
        "import sys, memos.domain.instance_settings\n"
        "print(sorted(m for m in sys.modules if m.startswith(('memos.api', 'google.protobuf'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": shared},
    )
    # Then neither the instance protos nor protobuf itself are loaded yet
    assert result.stdout.strip() == "[]"


def test_nothing_stored_means_every_switch_off() -> None:
    assert general_flags(settings()) == GeneralFlags()
    assert display_with_update_time(settings()) is False


def test_stored_switches_are_read_from_their_json_form() -> None:
    # Given GENERAL and MEMO_RELATED stored as the API's JSON
    store = settings(
        **{
            GENERAL: {"disallowUserRegistration": True, "disallowPasswordAuth": True},
            MEMO_RELATED: {"displayWithUpdateTime": True},
        }
    )

    # When the switches are read / Then they are the stored ones
    assert general_flags(store) == GeneralFlags(
        disallow_user_registration=True, disallow_password_auth=True
    )
    assert display_with_update_time(store) is True


def test_an_unreadable_stored_value_reads_as_the_defaults() -> None:
    store = settings(**{GENERAL: {"disallowUserRegistration": "not a bool"}})
    assert general_flags(store) == GeneralFlags()
