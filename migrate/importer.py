"""The import, step by step: what comes first is what later steps refer to.

Every step reads its rows as a stream and decides per row: already there (skipped), taken by
something else (conflict), or written. Writes are single rows or the one transaction a row
needs, so a run stopped anywhere leaves whole rows, and the next run picks up after them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from migrate.context import ImportContext
from migrate.import_activity import import_activities, import_inbox
from migrate.import_attachments import import_attachments
from migrate.import_instance import import_identity_providers, import_instance_settings
from migrate.import_memos import import_memos, import_reactions, import_references
from migrate.import_people import import_user_settings, import_users
from migrate.report import NoProgress, Report

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from memos.store import Stores
    from migrate.report import Progress
    from migrate.source import MemosDatabase

STEPS: tuple[Callable[[ImportContext], None], ...] = (
    import_instance_settings,
    import_identity_providers,
    import_users,
    import_user_settings,
    import_memos,
    import_references,
    import_reactions,
    import_attachments,
    import_activities,
    import_inbox,
)


def import_database(
    source: MemosDatabase,
    stores: Stores,
    *,
    data_dir: Path,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> Report:
    """Bring everything of ``source`` into ``stores``; the version is checked first."""
    source.check_version()
    report = Report(progress or NoProgress())
    context = ImportContext(source, stores, report, data_dir, dry_run=dry_run)
    for step in STEPS:
        step(context)
    return report
