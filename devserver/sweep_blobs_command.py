"""``memos-serverless sweep-blobs``: delete attachment objects that no record refers to.

The same sweep the deployed stack runs daily (:mod:`functions.blob_sweeper.sweep`), on the
local server's saved data (stopped) or, with ``--table``, ``--bucket`` or ``--stack``, on a
deployed data stack. The local server puts its saved objects back with new dates at every
start, so their age says nothing; since it must be stopped, no upload can be in flight, and
the local data is swept without a grace period. A deployed stack keeps the day of grace.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

    from functions.blob_sweeper.sweep import SweepReport
    from memos.store import Stores

EXIT_CANNOT_START = 2


def add_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``sweep-blobs`` to the CLI's subcommands."""
    sweeper = commands.add_parser(
        "sweep-blobs", help="delete attachment bytes and thumbnails that no record refers to"
    )
    sweeper.add_argument(
        "--dry-run", action="store_true", help="name what would be deleted, delete nothing"
    )
    sweeper.add_argument(
        "--pages",
        type=int,
        default=None,
        help="listing pages of 1,000 objects to sweep in this run (default: the daily budget); "
        "a later run carries on where this one stopped",
    )
    where = "without --table, --bucket or --stack: the local server's saved data (stop it first)"
    sweeper.add_argument("--table", help=f"the DynamoDB table ({where})")
    sweeper.add_argument("--bucket", help="the attachment bucket (default: MEMOS_BUCKET_NAME)")
    sweeper.add_argument(
        "--stack", help="take the table and bucket from this deployed data stack's resources"
    )
    sweeper.set_defaults(run=run_sweep)


def run_sweep(args: argparse.Namespace) -> int:
    from devserver.local_data import local_data_offline  # noqa: PLC0415
    from devserver.snapshot_files import LocalDataError  # noqa: PLC0415
    from memos.config import Settings  # noqa: PLC0415
    from migrate.target import (  # noqa: PLC0415
        Target,
        TargetError,
        resolve_target,
        target_stores,
    )

    try:
        settings = Settings.from_environ()
        if args.stack or args.table or args.bucket:
            target = resolve_target(
                settings, table=args.table, bucket=args.bucket, stack=args.stack
            )
            report = _sweep(target_stores(target, settings), args, local=False)
        else:
            with local_data_offline(settings) as local:
                target = Target(local.table_name, local.bucket_name)
                report = _sweep(target_stores(target, local), args, local=True)
    except (TargetError, LocalDataError, ValueError) as error:
        print(f"sweep-blobs: {error}", file=sys.stderr)
        return EXIT_CANNOT_START
    _print(report)
    return 0


def _sweep(stores: Stores, args: argparse.Namespace, *, local: bool) -> SweepReport:
    from functions.blob_sweeper.cursor import SweepCursor  # noqa: PLC0415
    from functions.blob_sweeper.sweep import (  # noqa: PLC0415
        GRACE_SECONDS,
        PAGE_BUDGET,
        SweepOptions,
        sweep_blobs,
    )
    from memos.store.clock import epoch_seconds  # noqa: PLC0415

    options = SweepOptions(
        now=epoch_seconds(),
        grace_seconds=0 if local else GRACE_SECONDS,
        pages=args.pages if args.pages is not None else PAGE_BUDGET,
        dry_run=args.dry_run,
    )
    return sweep_blobs(stores.blobs, stores.attachments, SweepCursor(stores.table), options)


def _print(report: SweepReport) -> None:
    kept = set(report.not_deleted)
    for key in report.orphans:
        done = "would delete" if report.dry_run else "left" if key in kept else "deleted"
        print(f"{done} {key}")
    counts = report.counts()
    print(
        f"listed {counts['listed']}: {counts['referenced']} with a record, "
        f"{counts['young']} too recent, {counts['unrecognised']} not named by a uid, "
        f"{counts['orphans']} without a record"
        + ("" if report.dry_run else f" ({counts['deleted']} deleted)"),
        file=sys.stderr,
    )
    if report.not_deleted:
        print(
            f"{len(report.not_deleted)} left: S3 refused, or written again since listed",
            file=sys.stderr,
        )
    if not report.finished:
        print("stopped at the page budget: run again to carry on", file=sys.stderr)
