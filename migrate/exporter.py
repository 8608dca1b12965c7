"""Writing the table and bucket as a Memos v0.26.2 SQLite database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from memos.store import Stores
    from migrate.report import Progress, Report


@dataclass(frozen=True, slots=True)
class ExportOptions:
    attachments_dir: Path | None = None
    attachments_in_db: bool = False


def export_database(
    stores: Stores, out: Path, options: ExportOptions, *, progress: Progress | None = None
) -> Report:
    raise NotImplementedError("export is not implemented yet")
