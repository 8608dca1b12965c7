"""The instance-wide switches UserService obeys, read from the stored instance settings.

Read through :mod:`memos.domain.instance_settings` (stored form and defaults live there); a
missing or unreadable value reads as the defaults (every switch off). That module, and with it
the instance protos, is imported on first read, keeping it off the user function's cold start.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from memos.store.instance_settings import InstanceSettingStore


@dataclass(frozen=True, slots=True)
class GeneralFlags:
    disallow_user_registration: bool = False
    disallow_change_username: bool = False
    disallow_change_nickname: bool = False


def general_flags(store: InstanceSettingStore) -> GeneralFlags:
    from memos.domain.instance_settings import general_setting  # noqa: PLC0415 - see module doc

    setting = general_setting(store)
    return GeneralFlags(
        disallow_user_registration=setting.disallow_user_registration,
        disallow_change_username=setting.disallow_change_username,
        disallow_change_nickname=setting.disallow_change_nickname,
    )


def display_with_update_time(store: InstanceSettingStore) -> bool:
    """Whether memos show (and stats count) their update time instead of their creation time."""
    from memos.domain.instance_settings import memo_related_setting  # noqa: PLC0415

    return memo_related_setting(store).display_with_update_time
