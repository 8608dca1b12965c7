"""Instance-wide settings: their keys, stored form, read-time defaults and the switches services
obey.

Values are stored as the protobuf JSON (lowerCamelCase) of their API message under the setting
key, so a field added to the API later reads back as its default. Defaults are applied when
reading, never written, so they can change without a migration. A missing or unreadable value
reads as the defaults (every switch off).

Importing this module is cheap: the instance protos and protobuf's JSON support are imported on
the first read or write of a setting, which keeps them off the cold start of
functions that only sometimes consult a switch (:func:`general_flags`,
:func:`display_with_update_time`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, TypeVar

from msgspec import Struct

from memos.errors import InvalidArgumentError

if TYPE_CHECKING:
    from google.protobuf.message import Message

    from memos.api.v1.instance_service_pb2 import InstanceSetting
    from memos.store.instance_settings import InstanceSettingStore

    GeneralSetting = InstanceSetting.GeneralSetting
    MemoRelatedSetting = InstanceSetting.MemoRelatedSetting
    StorageSetting = InstanceSetting.StorageSetting

NAME_PREFIX: Final = "instance/settings/"
BASIC, GENERAL, MEMO_RELATED, STORAGE = "BASIC", "GENERAL", "MEMO_RELATED", "STORAGE"
KNOWN_KEYS: Final = (BASIC, GENERAL, MEMO_RELATED, STORAGE)

# The value field of InstanceSetting that carries each key's message.
VALUE_FIELDS: Final = {
    GENERAL: "general_setting",
    MEMO_RELATED: "memo_related_setting",
    STORAGE: "storage_setting",
}

MIN_CONTENT_LENGTH_LIMIT: Final = 8192
DEFAULT_REACTIONS: Final = ("👍", "👎", "❤️", "🎉", "😄", "😕", "😢", "😡")
DEFAULT_UPLOAD_SIZE_LIMIT_MB: Final = 30
# The most one CreateAttachment carries here (memos.domain.attachment_files'
# INLINE_UPLOAD_LIMIT_BYTES): bigger files take the direct upload to S3.
INLINE_UPLOAD_LIMIT_MB: Final = 4
DIRECT_UPLOAD_PATH: Final = "POST /api/v1/attachment-uploads"
# Where an attachment's bytes are kept in the bucket (memos.store.blobs), shown as the template.
OBJECT_KEY_TEMPLATE: Final = "attachments/{uid}"
# Shown in place of the S3 connection: this deployment's bucket and credentials belong to the
# infrastructure, never to a setting (and the web app saves S3 settings only when each is set).
MANAGED_BY_DEPLOYMENT: Final = "(managed by the deployment)"

M = TypeVar("M", bound="Message")


class GeneralFlags(Struct, frozen=True):
    """The GENERAL switches that gate sign-up, sign-in and profile changes."""

    disallow_user_registration: bool = False
    disallow_password_auth: bool = False
    disallow_change_username: bool = False
    disallow_change_nickname: bool = False


def general_flags(store: InstanceSettingStore) -> GeneralFlags:
    setting = general_setting(store)
    return GeneralFlags(
        disallow_user_registration=setting.disallow_user_registration,
        disallow_password_auth=setting.disallow_password_auth,
        disallow_change_username=setting.disallow_change_username,
        disallow_change_nickname=setting.disallow_change_nickname,
    )


def display_with_update_time(store: InstanceSettingStore) -> bool:
    """Whether memos show (and stats count) their update time instead of their creation time."""
    return memo_related_setting(store).display_with_update_time


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


def general_setting(store: InstanceSettingStore) -> GeneralSetting:
    return _stored(store, GENERAL, _setting_type().GeneralSetting())


def memo_related_setting(store: InstanceSettingStore) -> MemoRelatedSetting:
    setting = _stored(store, MEMO_RELATED, _setting_type().MemoRelatedSetting())
    setting.content_length_limit = max(setting.content_length_limit, MIN_CONTENT_LENGTH_LIMIT)
    if not setting.reactions:
        setting.reactions.extend(DEFAULT_REACTIONS)
    return setting


def storage_setting(store: InstanceSettingStore) -> StorageSetting:
    """What this deployment does: bytes in S3 under the attachment's uid (the connection managed
    by the deployment), and the limit of one inline upload as stored (30 MB by default) but
    never above what a function can carry."""
    storage = _setting_type().StorageSetting
    setting = _stored(store, STORAGE, storage())
    setting.storage_type = storage.S3
    setting.filepath_template = OBJECT_KEY_TEMPLATE
    stored_limit = setting.upload_size_limit_mb or DEFAULT_UPLOAD_SIZE_LIMIT_MB
    setting.upload_size_limit_mb = min(stored_limit, INLINE_UPLOAD_LIMIT_MB)
    setting.s3_config.CopyFrom(
        storage.S3Config(
            access_key_id=MANAGED_BY_DEPLOYMENT,
            access_key_secret=MANAGED_BY_DEPLOYMENT,
            endpoint=MANAGED_BY_DEPLOYMENT,
            region=MANAGED_BY_DEPLOYMENT,
            bucket=MANAGED_BY_DEPLOYMENT,
        )
    )
    return setting


def upload_size_limit_bytes(store: InstanceSettingStore) -> int:
    """The most bytes one CreateAttachment may carry (the effective STORAGE limit)."""
    return int(storage_setting(store).upload_size_limit_mb) * 1024 * 1024


def storage_setting_to_save(setting: StorageSetting) -> StorageSetting:
    """The STORAGE value an update stores: S3 only, keys as they are, a limit a function can
    carry, and no S3 connection (the deployment's own is used; credentials sent here are
    dropped, not kept)."""
    storage = _setting_type().StorageSetting
    if setting.storage_type not in (storage.STORAGE_TYPE_UNSPECIFIED, storage.S3):
        raise InvalidArgumentError(
            "this deployment stores attachments in S3 only: storage_type must be S3"
        )
    if setting.filepath_template not in ("", OBJECT_KEY_TEMPLATE):
        raise InvalidArgumentError(
            f"attachments are kept under {OBJECT_KEY_TEMPLATE} here: filepath_template cannot "
            "be changed"
        )
    if setting.upload_size_limit_mb < 0:
        raise InvalidArgumentError("upload_size_limit_mb must not be negative")
    if setting.upload_size_limit_mb > INLINE_UPLOAD_LIMIT_MB:
        raise InvalidArgumentError(
            f"upload_size_limit_mb can be at most {INLINE_UPLOAD_LIMIT_MB} here (one request "
            f"carries at most {INLINE_UPLOAD_LIMIT_MB} MiB); larger files use the direct "
            f"upload ({DIRECT_UPLOAD_PATH})"
        )
    return storage(storage_type=storage.S3, upload_size_limit_mb=setting.upload_size_limit_mb)


def read_setting(store: InstanceSettingStore, key: str) -> InstanceSetting:
    """The API view of one setting, defaults applied; BASIC is only a name."""
    setting = _setting_type()(name=NAME_PREFIX + key)
    if key == GENERAL:
        setting.general_setting.CopyFrom(general_setting(store))
    elif key == MEMO_RELATED:
        setting.memo_related_setting.CopyFrom(memo_related_setting(store))
    elif key == STORAGE:
        setting.storage_setting.CopyFrom(storage_setting(store))
    return setting


def save_setting(store: InstanceSettingStore, key: str, value: Message) -> None:
    """Replaces the whole stored value of a setting."""
    from google.protobuf.json_format import MessageToDict  # noqa: PLC0415 - see the module doc

    store.upsert(key, MessageToDict(value))


def _stored(store: InstanceSettingStore, key: str, message: M) -> M:
    stored = store.get(key)
    if stored is not None:
        from google.protobuf.json_format import ParseDict, ParseError  # noqa: PLC0415 - module doc

        try:
            ParseDict(dict(stored.value), message, ignore_unknown_fields=True)
        except ParseError:
            message.Clear()  # an unreadable stored value reads as the defaults
    return message


def _setting_type() -> type[InstanceSetting]:
    from memos.api.v1.instance_service_pb2 import InstanceSetting  # noqa: PLC0415 - module doc

    return InstanceSetting
