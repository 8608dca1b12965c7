"""``memos-serverless import`` and ``memos-serverless export``: their arguments and entry points.

Only argument parsing lives here, so the ``serve`` command pays nothing for them; the work is
imported when one of these commands runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``import`` and ``export`` to the CLI's subcommands."""
    importer = commands.add_parser(
        "import", help="bring a Memos v0.26 SQLite database into the table and bucket"
    )
    importer.add_argument("sqlite_file", type=Path, help="the Memos database (memos_prod.db)")
    importer.add_argument(
        "--data-dir",
        type=Path,
        help="Memos' data directory, for attachments stored as local files (default: the "
        "database's folder)",
    )
    importer.add_argument(
        "--dry-run", action="store_true", help="read and check everything, write nothing"
    )
    _add_target_arguments(importer)
    importer.set_defaults(run=_run_import)

    exporter = commands.add_parser(
        "export", help="write the table and bucket as a Memos v0.26.2 SQLite database"
    )
    exporter.add_argument("out_file", type=Path, help="the database to write (must not exist)")
    where = exporter.add_mutually_exclusive_group()
    where.add_argument(
        "--with-attachments",
        type=Path,
        metavar="DIR",
        help="write attachment bytes as files under DIR (Memos' data directory), as LOCAL ones",
    )
    where.add_argument(
        "--attachments-in-db",
        action="store_true",
        help="write attachment bytes into the database (Memos' default storage)",
    )
    _add_target_arguments(exporter)
    exporter.set_defaults(run=_run_export)


def _add_target_arguments(parser: argparse.ArgumentParser) -> None:
    where = "without --table, --bucket or --stack: the local server's saved data (stop it first)"
    parser.add_argument("--table", help=f"the DynamoDB table ({where})")
    parser.add_argument("--bucket", help="the attachment bucket (default: MEMOS_BUCKET_NAME)")
    parser.add_argument(
        "--stack", help="take the table and bucket from this deployed data stack's resources"
    )


def _run_import(args: argparse.Namespace) -> int:
    from migrate.run import run_import  # noqa: PLC0415 - only when importing

    return run_import(args)


def _run_export(args: argparse.Namespace) -> int:
    from migrate.run import run_export  # noqa: PLC0415 - only when exporting

    return run_export(args)
