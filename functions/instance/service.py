"""InstanceService: the instance profile and instance-wide settings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from memos.api.v1 import instance_service_connect
from memos.api.v1.instance_service_pb2 import InstanceProfile, InstanceSetting
from memos.caller import require_admin
from memos.config import get_settings
from memos.convert import user_to_proto
from memos.domain import instance_settings as settings_domain
from memos.errors import InvalidArgumentError

if TYPE_CHECKING:
    from memos.api.v1.instance_service_pb2 import (
        GetInstanceProfileRequest,
        GetInstanceSettingRequest,
        UpdateInstanceSettingRequest,
    )
    from memos.config import Settings
    from memos.store import Stores

MEMOS_VERSION = "0.26.2"

# Sensible bounds Memos leaves unchecked: a setting can't be saved in a shape that breaks the
# web app or makes every memo or upload impossible.
MAX_REACTIONS = 50
MAX_REACTION_LENGTH = 32
MAX_INJECTED_CODE_LENGTH = 64 * 1024


class InstanceService(instance_service_connect.InstanceService):
    """Serves memos.api.v1.InstanceService."""

    def __init__(self, stores: Stores, settings: Settings | None = None) -> None:
        self._stores = stores
        self._settings = settings or get_settings()

    async def get_instance_profile(
        self, request: GetInstanceProfileRequest, ctx: Any
    ) -> InstanceProfile:
        profile = InstanceProfile(
            version=MEMOS_VERSION,
            demo=self._settings.demo,
            instance_url=self._settings.instance_url,
        )
        admin = self._stores.users.newest_admin()
        if admin is not None:
            profile.admin.CopyFrom(user_to_proto(admin))
        return profile

    async def get_instance_setting(
        self, request: GetInstanceSettingRequest, ctx: Any
    ) -> InstanceSetting:
        key = settings_domain.parse_setting_name(request.name)
        if key == settings_domain.STORAGE:
            require_admin(self._stores.users)
        return settings_domain.read_setting(self._stores.instance_settings, key)

    async def update_instance_setting(
        self, request: UpdateInstanceSettingRequest, ctx: Any
    ) -> InstanceSetting:
        require_admin(self._stores.users)
        if not request.HasField("setting"):
            raise InvalidArgumentError("setting is required")
        key = settings_domain.parse_setting_name(request.setting.name)
        if key == settings_domain.BASIC:
            raise InvalidArgumentError("instance setting BASIC cannot be updated")
        field = settings_domain.VALUE_FIELDS[key]
        if request.setting.WhichOneof("value") not in (None, field):
            raise InvalidArgumentError(
                f"instance/settings/{key} takes {field}, got {request.setting.WhichOneof('value')}"
            )
        value = getattr(request.setting, field)
        _validate(key, request.setting)
        if key == settings_domain.STORAGE:
            value = settings_domain.storage_setting_to_save(value)
        settings_domain.save_setting(self._stores.instance_settings, key, value)
        if key == settings_domain.STORAGE:  # answered as read: what this deployment does
            return settings_domain.read_setting(self._stores.instance_settings, key)
        stored = InstanceSetting(name=settings_domain.NAME_PREFIX + key)
        getattr(stored, field).CopyFrom(value)
        return stored


def _validate(key: str, setting: InstanceSetting) -> None:
    if key == settings_domain.GENERAL:
        general = setting.general_setting
        if not 0 <= general.week_start_day_offset <= 6:
            raise InvalidArgumentError("week_start_day_offset must be between 0 and 6")
        for name in ("additional_script", "additional_style"):
            if len(getattr(general, name)) > MAX_INJECTED_CODE_LENGTH:
                raise InvalidArgumentError(
                    f"{name} is too long (max {MAX_INJECTED_CODE_LENGTH} characters)"
                )
    elif key == settings_domain.MEMO_RELATED:
        memo = setting.memo_related_setting
        if memo.content_length_limit < 0:
            raise InvalidArgumentError("content_length_limit must not be negative")
        if len(memo.reactions) > MAX_REACTIONS:
            raise InvalidArgumentError(f"at most {MAX_REACTIONS} reactions are allowed")
        if any(not r.strip() or len(r) > MAX_REACTION_LENGTH for r in memo.reactions):
            raise InvalidArgumentError(
                f"each reaction must be 1 to {MAX_REACTION_LENGTH} characters"
            )
