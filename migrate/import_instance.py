"""Instance settings and identity providers.

GENERAL, MEMO_RELATED and STORAGE are stored as this project stores them (the API message's
JSON), read from Memos' JSON with the same message. BASIC is not carried over: its secret signs
Memos' sessions, and this deployment has its own. A setting the target already holds with
another value is a conflict (the target's is kept).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from google.protobuf.json_format import MessageToDict, ParseDict

from memos.api.v1.instance_service_pb2 import InstanceSetting
from memos.domain.instance_settings import BASIC, GENERAL, MEMO_RELATED, STORAGE, save_setting
from memos.store.identity_providers import OAUTH2, FieldMapping, IdentityProvider, OAuth2Config
from memos.store.table import ConditionFailedError
from migrate.report import Outcome
from migrate.source import json_value

if TYPE_CHECKING:
    from google.protobuf.message import Message

    from migrate.context import ImportContext
    from migrate.source import Row

SETTINGS = "instance settings"
PROVIDERS = "identity providers"

_MESSAGES: dict[str, type[Message]] = {
    GENERAL: InstanceSetting.GeneralSetting,
    MEMO_RELATED: InstanceSetting.MemoRelatedSetting,
    STORAGE: InstanceSetting.StorageSetting,
}


def import_instance_settings(context: ImportContext) -> None:
    report = context.report
    report.start(SETTINGS, context.source.count("SELECT COUNT(*) FROM system_setting"))
    for row in context.source.system_settings():
        name = str(row["name"])
        try:
            outcome, note = _import_setting(context, name, str(row["value"]))
        except Exception as error:  # reported with the row; the run goes on
            outcome, note = Outcome.ERROR, str(error)
        report.record(SETTINGS, outcome, f"{name}: {note}" if note else "")


def _import_setting(context: ImportContext, name: str, value: str) -> tuple[Outcome, str]:
    if name == BASIC:
        return Outcome.SKIPPED, "Memos' session key is not carried over (everyone signs in again)"
    message_type = _MESSAGES.get(name)
    if message_type is None:
        return Outcome.SKIPPED, "not a setting Memos v0.26 reads"
    message = ParseDict(json_value(value), message_type(), ignore_unknown_fields=True)
    store = context.stores.instance_settings
    stored = store.get(name)
    if stored is not None:
        if dict(stored.value) == MessageToDict(message):
            return Outcome.SKIPPED, ""
        return Outcome.CONFLICT, "the target has its own value, which is kept"
    if not context.dry_run:
        save_setting(store, name, message)
    return Outcome.IMPORTED, ""


def provider_from_row(row: Row) -> IdentityProvider:
    config = json_value(row["config"])
    kind = str(row["type"])
    oauth2 = None
    if kind == OAUTH2:
        mapping: dict[str, Any] = config.get("fieldMapping") or {}
        oauth2 = OAuth2Config(
            client_id=str(config.get("clientId", "")),
            client_secret=str(config.get("clientSecret", "")),
            auth_url=str(config.get("authUrl", "")),
            token_url=str(config.get("tokenUrl", "")),
            user_info_url=str(config.get("userInfoUrl", "")),
            scopes=tuple(str(scope) for scope in config.get("scopes") or ()),
            field_mapping=FieldMapping(
                identifier=str(mapping.get("identifier", "")),
                display_name=str(mapping.get("displayName", "")),
                email=str(mapping.get("email", "")),
                avatar_url=str(mapping.get("avatarUrl", "")),
            ),
        )
    return IdentityProvider(
        id=int(row["id"]),
        title=str(row["name"]),
        type=kind,
        identifier_filter=str(row["identifier_filter"] or ""),
        oauth2=oauth2,
    )


def import_identity_providers(context: ImportContext) -> None:
    report = context.report
    report.start(PROVIDERS, context.source.count("SELECT COUNT(*) FROM idp"))
    store = context.stores.identity_providers
    for row in context.source.identity_providers():
        name = f"identity provider {row['id']} ({row['name']})"
        try:
            provider = provider_from_row(row)
            existing = store.get(provider.id)
            if existing is not None:
                same = existing.title == provider.title
                outcome = Outcome.SKIPPED if same else Outcome.CONFLICT
                note = "" if same else f"the target's provider {provider.id} is {existing.title!r}"
            else:
                if not context.dry_run:
                    store.create_imported(provider)
                outcome, note = Outcome.IMPORTED, ""
        except ConditionFailedError:
            outcome, note = Outcome.CONFLICT, "its id was taken meanwhile"
        except Exception as error:  # reported with the row; the run goes on
            outcome, note = Outcome.ERROR, str(error)
        report.record(PROVIDERS, outcome, f"{name}: {note}" if note else "")
