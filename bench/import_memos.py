"""Import throughput: 10,000 memos and 500 attachments from a Memos database.

Builds a Memos v0.26.2 SQLite file (3 users, 10,000 memos with tags, links and tasks, one in ten
a comment, 500 attachments of 4 KiB in the database, a reaction on one memo in twenty), then
imports it with ``migrate.importer`` into the in-process AWS emulation the local server uses
(moto's DynamoDB and S3 behind boto3), and prints rows per second, DynamoDB calls, and the
peak Python memory of the import (tracemalloc; rows are streamed, so it should not grow with
the number of memos). The emulated table and bucket live in the same process, so the peak
includes what they hold; what they still hold at the end is printed beside it, and the difference
is the import's own working memory, which stays flat: compare ``--memos 2000`` with the default.
``--memos`` and ``--attachments`` change the sizes.

Run with ``make bench-import`` or ``python bench/import_memos.py``.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "shared") not in sys.path:
    sys.path[:0] = [str(ROOT / "shared"), str(ROOT)]

HASH = "$2a$10$08lCBKvdmX4ATAUjMDizWuksYBD2BtV0wqYbjbEjpgwdgMipMzx6K"
START = 1_700_000_000


def build_database(path: Path, memos: int, attachments: int) -> None:
    from migrate.memos_schema import SCHEMA_VERSION, create_schema

    connection = sqlite3.connect(path)
    create_schema(connection)
    connection.execute(
        "INSERT INTO system_setting (name, value) VALUES ('BASIC', ?)",
        (f'{{"schemaVersion":"{SCHEMA_VERSION}"}}',),
    )
    connection.executemany(
        "INSERT INTO user (id, username, role, password_hash) VALUES (?, ?, ?, ?)",
        [(1, "alice", "ADMIN", HASH), (2, "bob", "USER", HASH), (3, "carol", "USER", HASH)],
    )
    visibilities = ("PUBLIC", "PROTECTED", "PRIVATE")
    connection.executemany(
        "INSERT INTO memo (id, uid, creator_id, created_ts, updated_ts, content, visibility, "
        "pinned) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                number,
                f"bench-memo-{number}",
                number % 3 + 1,
                START + number * 60,
                START + number * 60,
                f"Memo {number} #topic{number % 20} [link](https://example.com/{number})\n"
                f"- [{' ' if number % 2 else 'x'}] task {number}",
                visibilities[number % 3],
                1 if number % 500 == 0 else 0,
            )
            for number in range(1, memos + 1)
        ),
    )
    connection.executemany(
        "INSERT INTO memo_relation (memo_id, related_memo_id, type) VALUES (?, ?, 'COMMENT')",
        ((number, number - 1) for number in range(10, memos + 1, 10)),
    )
    connection.executemany(
        "INSERT INTO reaction (id, creator_id, content_id, reaction_type) VALUES (?, 2, ?, '👍')",
        ((number, f"memos/bench-memo-{number}") for number in range(1, memos + 1, 20)),
    )
    connection.executemany(
        "INSERT INTO attachment (id, uid, creator_id, filename, blob, type, size, memo_id) "
        "VALUES (?, ?, 1, ?, ?, 'application/octet-stream', 4096, ?)",
        (
            (number, f"bench-att-{number}", f"file{number}.bin", os.urandom(4096), number * 3)
            for number in range(1, attachments + 1)
        ),
    )
    connection.commit()
    connection.close()


class _CallCounter:
    """Counts DynamoDB operations by name (a fixed-size tally, so memory stays flat)."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self.calls: Counter[str] = Counter()

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._client, name)

        def counted(**kwargs: Any) -> Any:
            self.calls[name] += 1
            return method(**kwargs)

        return counted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--memos", type=int, default=10_000)
    parser.add_argument("--attachments", type=int, default=500)
    args = parser.parse_args()
    for name, value in {
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "us-east-1",
        "MEMOS_TABLE_NAME": "memos-bench",
        "MEMOS_BUCKET_NAME": "memos-bench",
    }.items():
        os.environ[name] = value
    os.environ.pop("MEMOS_DYNAMODB_ENDPOINT", None)
    os.environ.pop("MEMOS_S3_ENDPOINT", None)

    from moto import mock_aws

    from memos.config import Settings
    from memos.store import stores_for_table, stores_from_settings
    from memos.store.memory import MemoryDynamoDB
    from memos.store.table import DynamoTable
    from migrate.importer import import_database
    from migrate.source import MemosDatabase

    with tempfile.TemporaryDirectory() as folder, mock_aws():
        path = Path(folder) / "memos_prod.db"
        build_database(path, args.memos, args.attachments)
        settings = Settings.from_environ()
        # The table: the in-memory emulation (moto's DynamoDB engine, without HTTP); the bucket:
        # moto's S3 behind boto3, as the local server runs it.
        blobs = stores_from_settings(settings).blobs
        blobs.ensure_bucket()
        counting = _CallCounter(MemoryDynamoDB(settings.table_name))
        stores = stores_for_table(DynamoTable(counting, settings.table_name), blobs)  # type: ignore[arg-type]
        _warm_up(stores)
        with MemosDatabase(path) as source:
            tracemalloc.start()
            began = time.perf_counter()
            report = import_database(source, stores, data_dir=Path(folder))
            elapsed = time.perf_counter() - began
            held, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
    rows = sum(tally.imported for tally in report.tallies.values())
    print(
        f"import of {args.memos:,} memos and {args.attachments:,} attachments "
        f"(in-process emulation, tracemalloc on)"
    )
    for line in report.summary_lines():
        print(f"  {line}")
    calls = counting.calls
    print(
        f"  rows imported: {rows:,} in {elapsed:.1f} s = {rows / elapsed:,.0f} rows/s "
        f"({report.count('memos', _imported()) / elapsed:,.0f} memos/s)"
    )
    print(f"  DynamoDB calls: {sum(calls.values()):,} {dict(sorted(calls.items()))}")
    mib = 1024 * 1024
    print(
        f"  traced memory: peak {peak / mib:.1f} MiB; still held at the end (the emulated "
        f"table and bucket, in this process) {held / mib:.1f} MiB; the import's own working "
        f"memory (peak - held) {(peak - held) / mib:.1f} MiB"
    )
    if report.errors or report.conflicts:
        raise SystemExit(f"import reported {report.errors} errors, {report.conflicts} conflicts")


def _warm_up(stores: Any) -> None:
    """Load what the first calls load (service models, parsers), so the peak is the import's."""
    from memos.markdown import derive_content

    derive_content("#warm [up](https://example.com)")
    stores.blobs.put("warm-up", b"", "text/plain")
    stores.blobs.delete("warm-up")
    stores.counters.current("memos")


def _imported() -> Any:
    from migrate.report import Outcome

    return Outcome.IMPORTED


if __name__ == "__main__":
    main()
