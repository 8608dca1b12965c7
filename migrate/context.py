"""What every step of an import shares: the source, the target's stores, the report."""

from __future__ import annotations

from typing import TYPE_CHECKING

from msgspec import Struct, field

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from memos.store import Stores
    from migrate.report import Report
    from migrate.source import MemosDatabase, Row


class ImportContext(Struct):
    source: MemosDatabase
    stores: Stores
    report: Report
    data_dir: Path  # Memos' data directory: LOCAL attachment paths are relative to it
    dry_run: bool = False
    # Users of the source that are the same users in the target (imported now or before):
    # only their settings, memos and attachments are brought over.
    own_users: set[int] = field(default_factory=set)
    # Every user id of the source (memos of users deleted in Memos are still brought over).
    source_users: set[int] = field(default_factory=set)

    def reserve_ids(self, counter: str, rows: Sequence[Row], column: str = "id") -> None:
        """Raise ``counter`` to the highest ``column`` of ``rows`` before they are written, so
        the ids an import is about to keep are never handed out by the API, even when the run
        stops half-way (rows that end up skipped keep theirs reserved too)."""
        if not self.dry_run and rows:
            self.stores.counters.raise_to(counter, max(int(row[column]) for row in rows))
