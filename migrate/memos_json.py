"""The JSON values Memos keeps in its columns, made from this project's stored items.

Memos writes them with protojson: lowerCamelCase names, zero values left out, times as RFC 3339
strings; its own SQL reads some of them by path (``$.tokenHash``, ``$.tags``,
``$.property.hasLink``), so the names must be exactly these (spec §2, §9).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from migrate.timestamps import format_timestamp

if TYPE_CHECKING:
    from collections.abc import Mapping


def dumps(value: Any) -> str:
    """JSON as Memos's SQL reads it: compact, raw UTF-8 (spec §9.3)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def present(values: Mapping[str, Any]) -> dict[str, Any]:
    """The values protojson writes: zero values (false, 0, "", empty lists, unset) left out."""
    return {name: value for name, value in values.items() if value not in (None, "", 0, False, [])}


def memo_payload(memo: Mapping[str, Any]) -> dict[str, Any]:
    """``MemoPayload`` of a stored memo: its properties, location and tags."""
    payload: dict[str, Any] = {
        "property": present(
            {
                "hasLink": bool(memo.get("has_link")),
                "hasTaskList": bool(memo.get("has_task_list")),
                "hasCode": bool(memo.get("has_code")),
                "hasIncompleteTasks": bool(memo.get("has_incomplete_tasks")),
            }
        )
    }
    location = memo.get("location")
    if isinstance(location, dict):
        payload["location"] = present(
            {
                "placeholder": location.get("placeholder", ""),
                "latitude": float(location.get("latitude", 0)),
                "longitude": float(location.get("longitude", 0)),
            }
        )
    tags = [str(tag) for tag in memo.get("tags") or []]
    if tags:
        payload["tags"] = tags
    return payload


def general_preferences(value: Mapping[str, Any]) -> dict[str, Any]:
    """A user's ``GENERAL`` setting from the stored preferences."""
    return present(
        {
            "locale": value.get("locale", ""),
            "memoVisibility": value.get("memo_visibility", ""),
            "theme": value.get("theme", ""),
        }
    )


def token_entry(token: Mapping[str, Any]) -> dict[str, Any]:
    """One entry of ``PERSONAL_ACCESS_TOKENS.tokens`` from a stored token."""
    entry: dict[str, Any] = {
        "tokenId": str(token["token_id"]),
        "tokenHash": str(token["token_hash"]),
        "description": str(token.get("description", "")),
    }
    for name, attribute in (
        ("expiresAt", "expires_at"),
        ("createdAt", "created_at"),
        ("lastUsedAt", "last_used_at"),
    ):
        if token.get(attribute) is not None:
            entry[name] = format_timestamp(int(token[attribute]))
    return present(entry)


def oauth2_config(raw: Mapping[str, Any]) -> dict[str, Any]:
    """An identity provider's bare ``OAuth2Config`` (what ``idp.config`` holds)."""
    mapping = dict(raw.get("field_mapping") or {})
    return present(
        {
            "clientId": raw.get("client_id", ""),
            "clientSecret": raw.get("client_secret", ""),
            "authUrl": raw.get("auth_url", ""),
            "tokenUrl": raw.get("token_url", ""),
            "userInfoUrl": raw.get("user_info_url", ""),
            "scopes": list(raw.get("scopes") or []),
            "fieldMapping": present(
                {
                    "identifier": mapping.get("identifier", ""),
                    "displayName": mapping.get("display_name", ""),
                    "email": mapping.get("email", ""),
                    "avatarUrl": mapping.get("avatar_url", ""),
                }
            )
            or None,
        }
    )
