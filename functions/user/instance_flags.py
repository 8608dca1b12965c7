"""The instance-wide switches UserService obeys, read from the stored instance settings.

Values are stored as the protobuf JSON (camelCase) of ``InstanceSetting.GeneralSetting`` and
``MemoRelatedSetting`` under ``GENERAL`` / ``MEMO_RELATED``; a missing or unreadable value reads
as the defaults (every switch off). The instance protos are imported on first read, keeping
them off the user function's cold start.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from google.protobuf.json_format import ParseDict, ParseError

if TYPE_CHECKING:
    from google.protobuf.message import Message

    from memos.store.instance_settings import InstanceSettingStore

GENERAL = "GENERAL"
MEMO_RELATED = "MEMO_RELATED"


@dataclass(frozen=True, slots=True)
class GeneralFlags:
    disallow_user_registration: bool = False
    disallow_change_username: bool = False
    disallow_change_nickname: bool = False


def general_flags(store: InstanceSettingStore) -> GeneralFlags:
    from memos.api.v1.instance_service_pb2 import InstanceSetting  # noqa: PLC0415 - see module doc

    setting: Any = _read(store, GENERAL, InstanceSetting.GeneralSetting())
    return GeneralFlags(
        disallow_user_registration=setting.disallow_user_registration,
        disallow_change_username=setting.disallow_change_username,
        disallow_change_nickname=setting.disallow_change_nickname,
    )


def display_with_update_time(store: InstanceSettingStore) -> bool:
    """Whether memos show (and stats count) their update time instead of their creation time."""
    from memos.api.v1.instance_service_pb2 import InstanceSetting  # noqa: PLC0415 - see module doc

    setting: Any = _read(store, MEMO_RELATED, InstanceSetting.MemoRelatedSetting())
    return bool(setting.display_with_update_time)


def _read(store: InstanceSettingStore, key: str, message: Message) -> Message:
    stored = store.get(key)
    if stored is not None:
        try:
            ParseDict(dict(stored.value), message, ignore_unknown_fields=True)
        except ParseError:
            message.Clear()
    return message
