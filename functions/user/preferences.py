"""User settings: the GENERAL preferences (locale, default memo visibility, theme) and the keys
the settings RPCs know.

GENERAL is stored as ``{"locale", "memo_visibility", "theme"}`` in the user's ``GENERAL``
setting item. WEBHOOKS is not a stored setting here: it is the user's webhook list (see
``webhooks``), exposed read-only through the settings RPCs as in Memos.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from msgspec import Struct
from msgspec.structs import replace

from memos.domain.enums import Visibility
from memos.errors import InvalidArgumentError

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from memos.store.user_settings import UserSettingStore

GENERAL: Final = "GENERAL"
WEBHOOKS: Final = "WEBHOOKS"
SETTING_KEYS: Final = (GENERAL, WEBHOOKS)
GENERAL_FIELDS: Final = ("locale", "memo_visibility", "theme")
MAX_PREFERENCE_LENGTH: Final = 256
_GENERAL_SETTING_FIELD: Final = "general_setting"


class GeneralPreferences(Struct, frozen=True):
    locale: str = ""
    memo_visibility: str = ""
    theme: str = ""


DEFAULT_GENERAL: Final = GeneralPreferences(
    locale="en", memo_visibility=Visibility.PRIVATE.value, theme=""
)


def check_setting_key(key: str) -> str:
    """``GENERAL`` or ``WEBHOOKS`` (exact, upper-case); INVALID_ARGUMENT otherwise."""
    if key not in SETTING_KEYS:
        raise InvalidArgumentError(f"invalid setting key: {key}")
    return key


def general_preferences(store: UserSettingStore, user_id: int) -> GeneralPreferences:
    """The stored GENERAL preferences, or the defaults when none are stored."""
    stored = store.get(user_id, GENERAL)
    return _from_value(stored.value) if stored is not None else DEFAULT_GENERAL


def update_general_preferences(
    store: UserSettingStore,
    user_id: int,
    incoming: GeneralPreferences,
    paths: Sequence[str],
) -> GeneralPreferences:
    """Copy the masked fields of ``incoming`` over the stored preferences and save them.

    As in Memos the base is what is stored, or empty strings (not the defaults) when nothing
    is; unknown paths are ignored. ``general_setting`` and ``general_setting.<field>`` paths
    (what a REST body derives) are understood too.
    """
    stored = store.get(user_id, GENERAL)
    updated = _from_value(stored.value) if stored is not None else GeneralPreferences()
    for field in _masked_fields(paths):
        value = getattr(incoming, field)
        if len(value) > MAX_PREFERENCE_LENGTH:
            raise InvalidArgumentError(f"{field} is too long (max {MAX_PREFERENCE_LENGTH})")
        updated = replace(updated, **{field: value})
    store.upsert(user_id, GENERAL, {field: getattr(updated, field) for field in GENERAL_FIELDS})
    return updated


def _masked_fields(paths: Sequence[str]) -> list[str]:
    fields: list[str] = []
    for path in paths:
        if path == _GENERAL_SETTING_FIELD:
            fields.extend(GENERAL_FIELDS)
            continue
        name = path.removeprefix(f"{_GENERAL_SETTING_FIELD}.")
        if name in GENERAL_FIELDS:
            fields.append(name)
    return fields


def _from_value(value: Mapping[str, object]) -> GeneralPreferences:
    return GeneralPreferences(**{field: str(value.get(field, "")) for field in GENERAL_FIELDS})
