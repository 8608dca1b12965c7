"""Writing the table and bucket as a database Memos v0.26.2 opens as its own.

The table is read with one Scan, page by page (a tool's pass over everything, never a request
path), and every item is turned into its Memos row as it comes. What Memos names by numeric
memo id and this project by uid (relations, an attachment's memo, an activity's memos) is
written to temporary tables first and resolved in SQL once every memo is in, and the lists Memos
keeps in one user setting (tokens, webhooks, shortcuts) are gathered the same way: memory stays
flat however big the instance is. Sessions, counters, guards, listing copies and stats are this
project's own bookkeeping and are not exported; BASIC holds only the schema version, so Memos
makes itself a new signing key (everyone signs in again; tokens keep working).
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from itertools import groupby
from typing import TYPE_CHECKING, Any

from msgspec import Struct

from memos.store.codec import from_item
from migrate.memos_json import (
    dumps,
    general_preferences,
    memo_payload,
    oauth2_config,
    present,
    token_entry,
)
from migrate.memos_schema import SCHEMA_VERSION, create_schema
from migrate.report import NoProgress, Outcome, Report

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from memos.store import Stores
    from migrate.report import Progress

ITEMS = "table items"
_PAGE = 500


class ExportOptions(Struct, frozen=True):
    """Where attachment bytes go: files under ``attachments_dir`` (LOCAL, paths relative to
    it, Memos' data directory), else into the database (Memos' default storage)."""

    attachments_dir: Path | None = None
    attachments_in_db: bool = False


def export_database(
    stores: Stores, out: Path, options: ExportOptions, *, progress: Progress | None = None
) -> Report:
    """Write ``out`` (which must not exist) from the table and bucket of ``stores``."""
    if out.exists():
        raise FileExistsError(f"{out} exists; export writes a new file")
    for stale in (out.with_name(out.name + "-wal"), out.with_name(out.name + "-shm")):
        stale.unlink(missing_ok=True)  # a leftover WAL would be applied to the new file
    report = Report(progress or NoProgress())
    connection = sqlite3.connect(out)
    try:
        writer = _Writer(connection, stores, options, report)
        connection.execute("BEGIN")
        create_schema(connection)
        writer.prepare()
        for item in _scan(stores):
            writer.write(item)
        writer.finish()
        connection.commit()
    except BaseException:
        connection.close()
        out.unlink(missing_ok=True)
        raise
    connection.close()
    return report


def _scan(stores: Stores) -> Iterator[dict[str, Any]]:
    arguments: dict[str, Any] = {"TableName": stores.table.name, "Limit": _PAGE}
    while True:
        page = stores.table.client.scan(**arguments)
        for raw in page.get("Items", []):
            yield from_item(raw)
        if "LastEvaluatedKey" not in page:
            return
        arguments["ExclusiveStartKey"] = page["LastEvaluatedKey"]


class _Writer:
    def __init__(
        self, connection: sqlite3.Connection, stores: Stores, options: ExportOptions, report: Report
    ) -> None:
        self._db = connection
        self._stores = stores
        self._options = options
        self._report = report
        self._handlers: dict[str, Callable[[dict[str, Any]], str]] = {
            "USER": self._user,
            "USER_SETTING": self._user_setting,
            "PAT": self._token,
            "WEBHOOK": self._webhook,
            "SHORTCUT": self._shortcut,
            "INSTANCE_SETTING": self._instance_setting,
            "MEMO": self._memo,
            "MEMO_EXTRAS": self._extras,
            "ATTACHMENT": self._attachment,
            "ACTIVITY": self._activity,
            "INBOX": self._inbox,
            "IDP": self._identity_provider,
        }

    def prepare(self) -> None:
        self._report.start(ITEMS, 0)
        for statement in (
            "CREATE TEMP TABLE pending_relation (uid TEXT, other_uid TEXT, type TEXT)",
            "CREATE TEMP TABLE pending_attachment (id INTEGER, memo_uid TEXT)",
            "CREATE TEMP TABLE pending_activity (id INTEGER, memo_uid TEXT, related_uid TEXT)",
            "CREATE TEMP TABLE pending_entry (user_id INTEGER, key TEXT, field TEXT, "
            "sequence INTEGER, entry TEXT)",
        ):
            self._db.execute(statement)
        self._db.execute(
            "INSERT INTO system_setting (name, value, description) VALUES ('BASIC', ?, '')",
            (dumps({"schemaVersion": SCHEMA_VERSION}),),
        )
        self._report.record("instance settings", Outcome.IMPORTED)

    def write(self, item: dict[str, Any]) -> None:
        handler = self._handlers.get(str(item.get("entity", "")))
        if handler is None:
            self._report.progress.advance(ITEMS)
            return
        kind = handler(item)
        if kind:
            self._report.record(kind, Outcome.IMPORTED)
        self._report.progress.advance(ITEMS)

    # Users ----------------------------------------------------------------------------------

    def _user(self, item: dict[str, Any]) -> str:
        self._db.execute(
            "INSERT INTO user (id, created_ts, updated_ts, row_status, username, role, email, "
            "nickname, password_hash, avatar_url, description) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                int(item["id"]),
                int(item.get("created_at", 0)),
                int(item.get("updated_at", 0)),
                str(item.get("state") or "NORMAL"),
                str(item["username"]),
                str(item.get("role", "USER")),
                str(item.get("email", "")),
                str(item.get("display_name", "")),
                str(item.get("password_hash", "")),
                str(item.get("avatar_url", "")),
                str(item.get("description", "")),
            ),
        )
        return "users"

    def _user_setting(self, item: dict[str, Any]) -> str:
        if item.get("key") != "GENERAL":
            return ""  # Memos has no other user setting stored this way
        general = general_preferences(dict(item.get("value") or {}))
        self._db.execute(
            "INSERT INTO user_setting (user_id, key, value) VALUES (?, 'GENERAL', ?)",
            (int(item["user_id"]), dumps(general)),
        )
        return "user settings"

    def _entry(self, item: dict[str, Any], key: str, field: str, entry: dict[str, Any]) -> None:
        self._db.execute(
            "INSERT INTO pending_entry VALUES (?,?,?,?,?)",
            (int(item["user_id"]), key, field, int(item.get("sequence", 0)), dumps(entry)),
        )

    def _token(self, item: dict[str, Any]) -> str:
        entry = token_entry(item)
        self._entry(item, "PERSONAL_ACCESS_TOKENS", "tokens", entry)
        return "access tokens"

    def _webhook(self, item: dict[str, Any]) -> str:
        entry = {"id": item["webhook_id"], "title": item.get("title", ""), "url": item["url"]}
        self._entry(item, "WEBHOOKS", "webhooks", present(entry))
        return "webhooks"

    def _shortcut(self, item: dict[str, Any]) -> str:
        entry = {
            "id": item["shortcut_id"],
            "title": item.get("title", ""),
            "filter": item.get("filter", ""),
        }
        self._entry(item, "SHORTCUTS", "shortcuts", present(entry))
        return "shortcuts"

    # Instance -------------------------------------------------------------------------------

    def _instance_setting(self, item: dict[str, Any]) -> str:
        key = str(item["key"])
        if key == "BASIC":
            return ""  # written once, with the schema version, by prepare
        self._db.execute(
            "INSERT INTO system_setting (name, value, description) VALUES (?, ?, '')",
            (key, dumps(item.get("value") or {})),
        )
        return "instance settings"

    def _identity_provider(self, item: dict[str, Any]) -> str:
        config = oauth2_config(dict(item.get("oauth2") or {}))
        self._db.execute(
            "INSERT INTO idp (id, name, type, identifier_filter, config) VALUES (?,?,?,?,?)",
            (
                int(item["id"]),
                str(item.get("title", "")),
                str(item.get("type", "OAUTH2")),
                str(item.get("identifier_filter", "")),
                dumps(config),
            ),
        )
        return "identity providers"

    # Memos ----------------------------------------------------------------------------------

    def _memo(self, item: dict[str, Any]) -> str:
        self._db.execute(
            "INSERT INTO memo (id, uid, creator_id, created_ts, updated_ts, row_status, content, "
            "visibility, pinned, payload) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                int(item["id"]),
                str(item["uid"]),
                int(item["creator_id"]),
                int(item["created_ts"]),
                int(item["updated_ts"]),
                str(item.get("state") or "NORMAL"),
                str(item.get("content", "")),
                str(item.get("visibility", "PRIVATE")),
                1 if item.get("pinned") else 0,
                dumps(memo_payload(item)),
            ),
        )
        return "memos"

    def _extras(self, item: dict[str, Any]) -> str:
        uid = str(item["uid"])
        for key, entry in dict(item.get("relations") or {}).items():
            if str(key).startswith("OUT#"):
                self._db.execute(
                    "INSERT INTO pending_relation VALUES (?,?,?)",
                    (uid, str(entry["uid"]), str(entry["type"])),
                )
        for entry in dict(item.get("reactions") or {}).values():
            self._db.execute(
                "INSERT INTO reaction (id, created_ts, creator_id, content_id, reaction_type) "
                "VALUES (?,?,?,?,?)",
                (
                    int(entry["id"]),
                    int(entry["created_ts"]),
                    int(entry["creator_id"]),
                    f"memos/{uid}",
                    str(entry["reaction_type"]),
                ),
            )
            self._report.record("reactions", Outcome.IMPORTED)
        return ""  # its relations are counted once resolved

    def _attachment(self, item: dict[str, Any]) -> str:
        uid, filename = str(item["uid"]), str(item.get("filename", ""))
        blob: bytes | None = None
        storage_type, reference = "", ""
        if item.get("external_link"):
            storage_type, reference = "EXTERNAL", str(item["external_link"])
        elif item.get("storage_key"):
            found = self._stores.blobs.get(str(item["storage_key"]))
            if found is None:
                self._report.record("attachments", Outcome.ERROR, f"{uid}: its bytes are gone")
                return "attachments without bytes"
            if self._options.attachments_dir is not None:
                storage_type = "LOCAL"
                reference = f"assets/{uid}_{filename.replace('/', '_')}"
                path = self._options.attachments_dir / reference
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(found.data)
            else:
                blob = found.data
        self._db.execute(
            "INSERT INTO attachment (id, uid, creator_id, created_ts, updated_ts, filename, blob, "
            "type, size, memo_id, storage_type, reference, payload) "
            "VALUES (?,?,?,?,?,?,?,?,?,NULL,?,?,'{}')",
            (
                int(item["id"]),
                uid,
                int(item["creator_id"]),
                int(item["created_ts"]),
                int(item["updated_ts"]),
                filename,
                blob,
                str(item.get("type", "")),
                int(item.get("size", 0)),
                storage_type,
                reference,
            ),
        )
        if item.get("memo_uid"):
            self._db.execute(
                "INSERT INTO pending_attachment VALUES (?, ?)",
                (int(item["id"]), str(item["memo_uid"])),
            )
        return "attachments"

    # Activity -------------------------------------------------------------------------------

    def _activity(self, item: dict[str, Any]) -> str:
        self._db.execute(
            "INSERT INTO activity (id, creator_id, created_ts, type, level, payload) "
            "VALUES (?,?,?,?,?,'{}')",
            (
                int(item["id"]),
                int(item["creator_id"]),
                int(item["created_ts"]),
                str(item.get("type", "")),
                str(item.get("level") or "INFO"),
            ),
        )
        self._db.execute(
            "INSERT INTO pending_activity VALUES (?,?,?)",
            (int(item["id"]), item.get("memo_uid"), item.get("related_memo_uid")),
        )
        return "activities"

    def _inbox(self, item: dict[str, Any]) -> str:
        message: dict[str, Any] = {"type": str(item.get("type", "MEMO_COMMENT"))}
        if item.get("activity_id") is not None:
            message["activityId"] = int(item["activity_id"])
        self._db.execute(
            "INSERT INTO inbox (id, created_ts, sender_id, receiver_id, status, message) "
            "VALUES (?,?,?,?,?,?)",
            (
                int(item["id"]),
                int(item.get("created_at", 0)),
                int(item["sender_id"]),
                int(item["receiver_id"]),
                str(item.get("status", "UNREAD")),
                dumps(message),
            ),
        )
        return "inbox"

    # Resolving ------------------------------------------------------------------------------

    def finish(self) -> None:
        """Turn the uids gathered on the way into Memos' numeric ids, and write the lists."""
        db = self._db
        relations = db.execute(
            "INSERT OR IGNORE INTO memo_relation (memo_id, related_memo_id, type) "
            "SELECT a.id, b.id, r.type FROM pending_relation r "
            "JOIN memo a ON a.uid = r.uid JOIN memo b ON b.uid = r.other_uid"
        ).rowcount
        self._report.start("relations", relations)
        for _ in range(relations):
            self._report.record("relations", Outcome.IMPORTED)
        db.execute(
            "UPDATE attachment SET memo_id = (SELECT m.id FROM pending_attachment p "
            "JOIN memo m ON m.uid = p.memo_uid WHERE p.id = attachment.id)"
        )
        db.execute(
            "UPDATE activity SET payload = (SELECT json_object('memoComment', json_object("
            "'memoId', (SELECT id FROM memo WHERE uid = p.memo_uid), "
            "'relatedMemoId', (SELECT id FROM memo WHERE uid = p.related_uid))) "
            "FROM pending_activity p WHERE p.id = activity.id) "
            "WHERE id IN (SELECT id FROM pending_activity WHERE memo_uid IS NOT NULL "
            "OR related_uid IS NOT NULL)"
        )
        entries = db.execute(
            "SELECT user_id, key, field, entry FROM pending_entry ORDER BY user_id, key, sequence"
        )
        for (user_id, key, field), group in groupby(entries, key=lambda row: row[:3]):
            value = {field: [json.loads(row[3]) for row in group]}
            db.execute(
                "INSERT INTO user_setting (user_id, key, value) VALUES (?, ?, ?)",
                (user_id, key, dumps(value)),
            )
        for table in (
            "pending_relation",
            "pending_attachment",
            "pending_activity",
            "pending_entry",
        ):
            with contextlib.suppress(sqlite3.Error):
                db.execute(f"DROP TABLE temp.{table}")
