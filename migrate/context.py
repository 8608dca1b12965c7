"""What every step of an import shares: the source, the target's stores, the report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from memos.store import Stores
    from migrate.report import Report
    from migrate.source import MemosDatabase


@dataclass
class ImportContext:
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
