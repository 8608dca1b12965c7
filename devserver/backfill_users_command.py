"""``memos-serverless backfill-users``: give users stored before the user directory and the
look-alike guards existed their directory entries and folded username guards.

A table written by an older version holds users that SearchUsers' substring search can't find
(no directory entry) and whose look-alikes sign-up would let in (no folded guard). Every write
since keeps both, so this runs once per table, when upgrading; running it again changes nothing.
It works on a deployed table (``--table`` or ``--stack``) or, without either, on the local
server's saved data (stop the server first).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

    from memos.store.users import GuardBackfill

EXIT_CANNOT_START = 2


def add_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``backfill-users`` to the CLI's subcommands."""
    backfill = commands.add_parser(
        "backfill-users",
        help="add the search directory entries and look-alike guards of users stored by an "
        "older version (once, when upgrading)",
    )
    backfill.add_argument(
        "--dry-run", action="store_true", help="count what is missing, write nothing"
    )
    where = backfill.add_mutually_exclusive_group()
    where.add_argument(
        "--table",
        help="the DynamoDB table (without --table or --stack: the local server's saved data; "
        "stop it first)",
    )
    where.add_argument("--stack", help="take the table from this deployed data stack's resources")
    backfill.set_defaults(run=run_backfill)


def run_backfill(args: argparse.Namespace) -> int:
    from devserver.snapshot_files import LocalDataError  # noqa: PLC0415
    from migrate.target import TargetError, opened_target  # noqa: PLC0415

    try:
        with opened_target(table=args.table, stack=args.stack) as (target, stores):
            what = "counting what is missing (dry run)" if args.dry_run else "backfilling"
            print(f"{what} in table {target.table}", file=sys.stderr)
            entries = stores.users.backfill_directory(dry_run=args.dry_run)
            guards = stores.users.backfill_folded_guards(dry_run=args.dry_run)
    except (TargetError, LocalDataError, ValueError) as error:
        print(f"backfill-users: {error}", file=sys.stderr)
        return EXIT_CANNOT_START
    _print(entries, guards, dry_run=args.dry_run)
    return 0


def _print(entries: int, guards: GuardBackfill, *, dry_run: bool) -> None:
    done = "would add" if dry_run else "added"
    print(f"directory entries: {done} {entries}")
    print(f"look-alike guards: {done} {guards.added}")
    for user in guards.blocked:
        print(
            f"user {user.id} ({user.username}): a look-alike username holds the guard; rename "
            "one of them to protect both",
            file=sys.stderr,
        )
