"""Users and what hangs off them: preferences, personal access tokens, webhooks, shortcuts.

A user keeps its id, role, state, times and bcrypt hash, so people sign in with their old
passwords and names like ``users/3`` stay valid. A row that is already there (same id, same
username) is skipped; an id or username the target gives to someone else is a conflict, and
nothing of that user is brought over.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from memos.domain.enums import Role, State
from memos.errors import AlreadyExistsError
from memos.store.access_tokens import PersonalAccessToken
from memos.store.shortcuts import Shortcut
from memos.store.users import SYSTEM_BOT_ID, User
from migrate.report import Outcome
from migrate.source import json_value
from migrate.timestamps import parse_timestamp

if TYPE_CHECKING:
    from collections.abc import Callable

    from migrate.context import ImportContext
    from migrate.source import Row

USERS = "users"
SETTINGS = "user settings"
TOKENS = "access tokens"
WEBHOOKS = "webhooks"
SHORTCUTS = "shortcuts"

_GENERAL_FIELDS = {"locale": "locale", "memoVisibility": "memo_visibility", "theme": "theme"}


def user_from_row(row: Row) -> User:
    role = str(row["role"])
    return User(
        id=int(row["id"]),
        username=str(row["username"]),
        # Memos' legacy HOST became ADMIN; any other role acts as a plain user there.
        role=Role.ADMIN.value if role in ("ADMIN", "HOST") else Role.USER.value,
        state=State.ARCHIVED.value if row["row_status"] == "ARCHIVED" else State.NORMAL.value,
        email=str(row["email"] or ""),
        display_name=str(row["nickname"] or ""),
        avatar_url=str(row["avatar_url"] or ""),
        description=str(row["description"] or ""),
        password_hash=str(row["password_hash"] or ""),
        created_at=int(row["created_ts"]),
        updated_at=int(row["updated_ts"]),
    )


def import_users(context: ImportContext) -> None:
    report = context.report
    report.start(USERS, context.source.count("SELECT COUNT(*) FROM user"))
    for row in context.source.users():
        name = f"user {row['id']} ({row['username']})"
        context.source_users.add(int(row["id"]))
        try:
            outcome, note = _import_user(context, user_from_row(row))
        except Exception as error:  # reported with the row; the run goes on
            outcome, note = Outcome.ERROR, f"{error}"
        report.record(USERS, outcome, f"{name}: {note}" if note else "")
        if outcome in (Outcome.IMPORTED, Outcome.SKIPPED):
            context.own_users.add(int(row["id"]))


def _import_user(context: ImportContext, user: User) -> tuple[Outcome, str]:
    users = context.stores.users
    if user.id == SYSTEM_BOT_ID:
        return Outcome.CONFLICT, "id 0 is the built-in system bot's"
    existing = users.get(user.id)
    if existing is not None:
        if existing.username == user.username:
            return Outcome.SKIPPED, ""
        return Outcome.CONFLICT, f"the target's user {user.id} is {existing.username!r}"
    other = users.get_by_username(user.username)
    if other is not None:
        return Outcome.CONFLICT, f"the username belongs to the target's user {other.id}"
    return _write(context, lambda: users.create_imported(user))


def _write(context: ImportContext, write: Callable[[], object]) -> tuple[Outcome, str]:
    """Run ``write`` unless this is a dry run; a record taken meanwhile is a conflict."""
    if context.dry_run:
        return Outcome.IMPORTED, ""
    try:
        write()
    except AlreadyExistsError as error:
        return Outcome.CONFLICT, str(error)
    return Outcome.IMPORTED, ""


def import_user_settings(context: ImportContext) -> None:
    report = context.report
    report.start(SETTINGS, context.source.count("SELECT COUNT(*) FROM user_setting"))
    for kind in (TOKENS, WEBHOOKS, SHORTCUTS):
        report.start(kind, 0)
    for row in context.source.user_settings():
        user_id, key = int(row["user_id"]), str(row["key"])
        name = f"user {user_id} setting {key}"
        if user_id not in context.own_users:
            report.record(SETTINGS, Outcome.SKIPPED, f"{name}: its user was not imported")
            continue
        try:
            value = json_value(row["value"])
            if key == "GENERAL":
                outcome, note = _import_general(context, user_id, value)
            elif key in _LIST_SETTINGS:
                kind, field, one = _LIST_SETTINGS[key]
                outcome, note = _each(
                    context,
                    kind=kind,
                    user_id=user_id,
                    name=name,
                    entries=value.get(field),
                    one=one,
                )
            else:
                # REFRESH_TOKENS are signed with Memos' key, which is not carried over; other
                # keys are ones Memos itself ignores.
                outcome, note = Outcome.SKIPPED, "not carried over"
        except Exception as error:  # reported with the row; the run goes on
            outcome, note = Outcome.ERROR, str(error)
        report.record(SETTINGS, outcome, f"{name}: {note}" if note else "")


def _import_general(
    context: ImportContext, user_id: int, value: dict[str, Any]
) -> tuple[Outcome, str]:
    store = context.stores.user_settings
    if store.get(user_id, "GENERAL") is not None:
        return Outcome.SKIPPED, ""
    if not context.dry_run:
        store.upsert(
            user_id,
            "GENERAL",
            {ours: str(value.get(theirs, "")) for theirs, ours in _GENERAL_FIELDS.items()},
        )
    return Outcome.IMPORTED, ""


def _each(
    context: ImportContext,
    *,
    kind: str,
    user_id: int,
    name: str,
    entries: Any,
    one: Callable[[ImportContext, int, dict[str, Any]], tuple[Outcome, str]],
) -> tuple[Outcome, str]:
    """Import each entry of a list-valued setting as its own record, tallied under ``kind``.
    The setting row's own outcome: the worst of its entries' (error, conflict), else imported
    when any entry was, else skipped."""
    outcomes: set[Outcome] = set()
    for entry in entries if isinstance(entries, list) else []:
        try:
            outcome, note = one(context, user_id, entry)
        except Exception as error:  # reported with the row; the run goes on
            outcome, note = Outcome.ERROR, str(error)
        context.report.record(kind, outcome, f"{name}: {note}" if note else "")
        outcomes.add(outcome)
    for worst in (Outcome.ERROR, Outcome.CONFLICT):
        if worst in outcomes:
            return worst, "see its entries"
    return (Outcome.IMPORTED if Outcome.IMPORTED in outcomes else Outcome.SKIPPED), ""


def _import_token(
    context: ImportContext, user_id: int, entry: dict[str, Any]
) -> tuple[Outcome, str]:
    store = context.stores.access_tokens
    token_id, token_hash = str(entry["tokenId"]), str(entry["tokenHash"]).lower()
    label = f"token {token_id}"
    existing = store.get(user_id, token_id)
    if existing is not None:
        if existing.token_hash == token_hash:
            return Outcome.SKIPPED, ""
        return Outcome.CONFLICT, f"{label}: the target holds another token under this id"
    holder = store.find_by_hash(token_hash)
    if holder is not None:
        return Outcome.CONFLICT, f"{label}: the target's user {holder.user_id} has this token"
    if context.dry_run:
        return Outcome.IMPORTED, ""
    token = PersonalAccessToken(
        user_id=user_id,
        token_id=token_id,
        token_hash=token_hash,
        description=str(entry.get("description", "")),
        created_at=_time(entry.get("createdAt")) or 0,
        expires_at=_time(entry.get("expiresAt")),
        last_used_at=_time(entry.get("lastUsedAt")),
    )
    try:
        store.create_imported(token)
    except AlreadyExistsError as error:
        return Outcome.CONFLICT, f"{label}: {error}"
    return Outcome.IMPORTED, ""


def _import_hook(
    context: ImportContext, user_id: int, entry: dict[str, Any]
) -> tuple[Outcome, str]:
    store = context.stores.webhooks
    webhook_id = str(entry["id"])
    existing = store.get(user_id, webhook_id)
    if existing is not None:
        if existing.url == str(entry.get("url", "")):
            return Outcome.SKIPPED, ""
        return Outcome.CONFLICT, f"webhook {webhook_id}: the target's has another URL"
    if not context.dry_run:
        store.create(
            user_id,
            webhook_id=webhook_id,
            title=str(entry.get("title", "")),
            url=str(entry.get("url", "")),
        )
    return Outcome.IMPORTED, ""


def _import_shortcut(
    context: ImportContext, user_id: int, entry: dict[str, Any]
) -> tuple[Outcome, str]:
    store = context.stores.shortcuts
    shortcut = Shortcut(
        user_id=user_id,
        shortcut_id=str(entry["id"]),
        title=str(entry.get("title", "")),
        filter=str(entry.get("filter", "")),
    )
    existing = store.get(user_id, shortcut.shortcut_id)
    if existing is not None:
        if existing.filter == shortcut.filter:
            return Outcome.SKIPPED, ""
        return Outcome.CONFLICT, f"shortcut {shortcut.shortcut_id}: the target's has another filter"
    if not context.dry_run:
        store.create(shortcut)
    return Outcome.IMPORTED, ""


# The settings Memos keeps as one list per user, each entry a record here: key -> (kind,
# list field, importer of one entry).
_LIST_SETTINGS: dict[str, tuple[str, str, Callable[..., tuple[Outcome, str]]]] = {
    "PERSONAL_ACCESS_TOKENS": (TOKENS, "tokens", _import_token),
    "WEBHOOKS": (WEBHOOKS, "webhooks", _import_hook),
    "SHORTCUTS": (SHORTCUTS, "shortcuts", _import_shortcut),
}


def _time(value: Any) -> int | None:
    return parse_timestamp(str(value)) if value else None
