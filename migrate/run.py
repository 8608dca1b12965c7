"""Running ``import`` and ``export`` for a person at a terminal: target, progress, summary,
exit status (0 when everything went in, 1 when a row conflicted or failed, 2 when the run could
not start, 130 when stopped).

Without ``--table``, ``--bucket`` or ``--stack`` the commands work on the local server's saved
data (``MEMOS_LOCAL_DATA_DIR``, what ``make serve`` loads), with that server stopped.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from migrate.target import TargetError, opened_target

if TYPE_CHECKING:
    import argparse
    from contextlib import AbstractContextManager

    from memos.store import Stores
    from migrate.report import Report
    from migrate.target import Target


def run_import(args: argparse.Namespace) -> int:
    from devserver.snapshot_files import LocalDataError  # noqa: PLC0415
    from migrate.importer import import_database  # noqa: PLC0415
    from migrate.source import MemosDatabase, UnsupportedDatabaseError  # noqa: PLC0415
    from migrate.terminal import TerminalProgress  # noqa: PLC0415

    try:
        with MemosDatabase(args.sqlite_file) as source:
            source.check_version()
            with _opened(args) as (target, stores):
                what = "would import (dry run)" if args.dry_run else "importing"
                print(
                    f"{what} {args.sqlite_file} into table {target.table}, bucket {target.bucket}",
                    file=sys.stderr,
                )
                with TerminalProgress() as progress:
                    report = import_database(
                        source,
                        stores,
                        data_dir=args.data_dir or args.sqlite_file.resolve().parent,
                        dry_run=args.dry_run,
                        progress=progress,
                    )
    except (UnsupportedDatabaseError, TargetError, LocalDataError, ValueError) as error:
        print(f"import: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("import: stopped; run the same command again to carry on", file=sys.stderr)
        return 130
    return _finish("import", report, "would add" if args.dry_run else "imported")


def run_export(args: argparse.Namespace) -> int:
    from devserver.snapshot_files import LocalDataError  # noqa: PLC0415
    from migrate.exporter import ExportOptions, export_database  # noqa: PLC0415
    from migrate.terminal import TerminalProgress  # noqa: PLC0415

    options = ExportOptions(
        attachments_dir=args.with_attachments, attachments_in_db=args.attachments_in_db
    )
    try:
        with _opened(args) as (target, stores):
            print(
                f"exporting table {target.table}, bucket {target.bucket} to {args.out_file}",
                file=sys.stderr,
            )
            with TerminalProgress() as progress:
                report = export_database(stores, args.out_file, options, progress=progress)
    except (TargetError, LocalDataError, FileExistsError, ValueError) as error:
        print(f"export: {error}", file=sys.stderr)
        return 2
    return _finish("export", report, "written")


def _opened(args: argparse.Namespace) -> AbstractContextManager[tuple[Target, Stores]]:
    return opened_target(table=args.table, bucket=args.bucket, stack=args.stack)


def _finish(command: str, report: Report, done: str) -> int:
    for note in report.notes:
        print(note, file=sys.stderr)
    for line in report.summary_lines(done):
        print(line)
    if report.errors or report.conflicts:
        print(
            f"{command}: {report.errors} error(s), {report.conflicts} conflict(s); the rows are "
            "named above",
            file=sys.stderr,
        )
        return 1
    return 0
