"""Instance-wide settings: their keys, stored form and read-time defaults.

Values are stored as the protobuf JSON (lowerCamelCase) of their API message under the setting
key, so a field added to the API later reads back as its default. Defaults are applied when
reading, never written, so they can change without a migration.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from google.protobuf.json_format import MessageToDict, ParseDict, ParseError

from memos.api.v1.instance_service_pb2 import InstanceSetting
from memos.errors import InvalidArgumentError

if TYPE_CHECKING:
    from google.protobuf.message import Message

    from memos.store.instance_settings import InstanceSettingStore

GeneralSetting = InstanceSetting.GeneralSetting
MemoRelatedSetting = InstanceSetting.MemoRelatedSetting
StorageSetting = InstanceSetting.StorageSetting

NAME_PREFIX = "instance/settings/"
BASIC, GENERAL, MEMO_RELATED, STORAGE = "BASIC", "GENERAL", "MEMO_RELATED", "STORAGE"
KNOWN_KEYS = (BASIC, GENERAL, MEMO_RELATED, STORAGE)

# The value field of InstanceSetting that carries each key's message.
VALUE_FIELDS = {
    GENERAL: "general_setting",
    MEMO_RELATED: "memo_related_setting",
    STORAGE: "storage_setting",
}

MIN_CONTENT_LENGTH_LIMIT = 8192
DEFAULT_REACTIONS = ("👍", "👎", "❤️", "🎉", "😄", "😕", "😢", "😡")
DEFAULT_FILEPATH_TEMPLATE = "assets/{timestamp}_{filename}"
DEFAULT_UPLOAD_SIZE_LIMIT_MB = 30

M = TypeVar("M", bound="Message")


def parse_setting_name(name: str) -> str:
    """The key of ``instance/settings/{KEY}``; malformed or unknown names are INVALID_ARGUMENT."""
    if not name.startswith(NAME_PREFIX):
        raise InvalidArgumentError(
            f"invalid instance setting name: expected prefix {NAME_PREFIX!r}, got {name!r}"
        )
    key = name.removeprefix(NAME_PREFIX)
    if not key:
        raise InvalidArgumentError(f"invalid instance setting name: empty setting key in {name!r}")
    if "/" in key:
        raise InvalidArgumentError(
            f"invalid instance setting name: setting key cannot contain '/' in {name!r}"
        )
    if key not in KNOWN_KEYS:
        raise InvalidArgumentError(f"unsupported instance setting key: {key!r}")
    return key


def _stored(store: InstanceSettingStore, key: str, message: M) -> M:
    stored = store.get(key)
    if stored is not None:
        try:
            ParseDict(dict(stored.value), message, ignore_unknown_fields=True)
        except ParseError:
            message.Clear()  # an unreadable stored value reads as the defaults
    return message


def general_setting(store: InstanceSettingStore) -> GeneralSetting:
    return _stored(store, GENERAL, GeneralSetting())


def memo_related_setting(store: InstanceSettingStore) -> MemoRelatedSetting:
    setting = _stored(store, MEMO_RELATED, MemoRelatedSetting())
    setting.content_length_limit = max(setting.content_length_limit, MIN_CONTENT_LENGTH_LIMIT)
    if not setting.reactions:
        setting.reactions.extend(DEFAULT_REACTIONS)
    return setting


def storage_setting(store: InstanceSettingStore) -> StorageSetting:
    setting = _stored(store, STORAGE, StorageSetting())
    if setting.storage_type == StorageSetting.STORAGE_TYPE_UNSPECIFIED:
        setting.storage_type = StorageSetting.DATABASE
    if not setting.filepath_template:
        setting.filepath_template = DEFAULT_FILEPATH_TEMPLATE
    if setting.upload_size_limit_mb == 0:
        setting.upload_size_limit_mb = DEFAULT_UPLOAD_SIZE_LIMIT_MB
    return setting


def read_setting(store: InstanceSettingStore, key: str) -> InstanceSetting:
    """The API view of one setting, defaults applied; BASIC is only a name."""
    setting = InstanceSetting(name=NAME_PREFIX + key)
    if key == GENERAL:
        setting.general_setting.CopyFrom(general_setting(store))
    elif key == MEMO_RELATED:
        setting.memo_related_setting.CopyFrom(memo_related_setting(store))
    elif key == STORAGE:
        setting.storage_setting.CopyFrom(storage_setting(store))
    return setting


def save_setting(store: InstanceSettingStore, key: str, value: Message) -> None:
    """Replaces the whole stored value of a setting."""
    store.upsert(key, MessageToDict(value))
