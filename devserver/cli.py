"""``memos-serverless serve``: the whole API on one port, with the same transport code as the
Lambdas."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from contextlib import ExitStack, suppress
from tempfile import TemporaryDirectory
from typing import TYPE_CHECKING

from devserver.backfill_users_command import add_command as add_backfill_command
from devserver.sweep_blobs_command import add_command as add_sweep_command
from memos.config import LOCAL_CORS_ORIGINS, Settings
from migrate.commands import add_commands as add_migrate_commands

if TYPE_CHECKING:
    from collections.abc import Sequence
    from types import FrameType

    from memos.rpc.asgi import ASGIApp

# The emulated S3's port when the --s3-port flag is not given.
ENV_LOCAL_S3_PORT = "MEMOS_LOCAL_S3_PORT"


def build_local_app(settings: Settings) -> ASGIApp:
    """The ASGI app serving all eight services, CORS defaulting to the web app's dev server.

    Needs AWS (real or emulated) to be reachable: the table is created when it is missing, and
    bearer tokens are verified against it with the locally kept signing secret.
    """
    from devserver.aws import allow_browser_access  # noqa: PLC0415
    from devserver.services import all_services  # noqa: PLC0415
    from devserver.webhooks import start_local_webhooks  # noqa: PLC0415
    from memos.auth.signing_secret import signing_secrets  # noqa: PLC0415
    from memos.auth.verifier import StoreTokenVerifier  # noqa: PLC0415
    from memos.rpc.app import create_service_app  # noqa: PLC0415
    from memos.store import stores_from_settings  # noqa: PLC0415
    from memos.store.clients import dynamodb_client_for, ensure_table  # noqa: PLC0415

    ensure_table(dynamodb_client_for(settings), settings.table_name)
    stores = stores_from_settings(settings)
    start_local_webhooks(settings, stores)  # memo webhooks from the emulated change stream
    origins = settings.cors_origins or LOCAL_CORS_ORIGINS
    if stores.blobs.ensure_bucket():
        allow_browser_access(stores.blobs, origins)
    verifier = StoreTokenVerifier(stores, secrets=lambda: signing_secrets(settings))
    return create_service_app(
        *all_services(stores, settings),
        settings=settings,
        verifier=verifier,
        cors_origins=origins,
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="memos-serverless", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve every service locally")
    serve.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8081, help="port to listen on (default 8081)")
    serve.add_argument(
        "--s3-port",
        type=int,
        default=int(os.environ.get(ENV_LOCAL_S3_PORT) or 8082),
        help=f"port of the emulated S3, on the same host (default ${ENV_LOCAL_S3_PORT} or 8082; "
        "0 picks a free one)",
    )
    kept = serve.add_mutually_exclusive_group()
    kept.add_argument(
        "--data-dir",
        help="where the emulated table and bucket are kept across restarts, with the signing "
        "secret (default $MEMOS_LOCAL_DATA_DIR or .local-data)",
    )
    kept.add_argument(
        "--ephemeral",
        action="store_true",
        default=None,
        help="start with empty data and keep nothing when stopping (default: on when "
        "$MEMOS_LOCAL_EPHEMERAL is 1)",
    )
    add_migrate_commands(commands)
    add_sweep_command(commands)
    add_backfill_command(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command != "serve":
        return int(args.run(args))
    import uvicorn  # noqa: PLC0415

    from devserver.aws import local_aws, needs_emulation  # noqa: PLC0415
    from devserver.hashing import default_hashing_threads, hashes_at_most  # noqa: PLC0415
    from devserver.local_data import (  # noqa: PLC0415
        ephemeral_from_environ,
        lasting_local_data,
        using_data_dir,
    )
    from devserver.snapshot_files import LocalDataError  # noqa: PLC0415
    from devserver.worker_threads import WorkerThreadApp  # noqa: PLC0415

    try:
        settings = Settings.from_environ()
    except ValueError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    ephemeral = ephemeral_from_environ() if args.ephemeral is None else args.ephemeral
    with ExitStack() as running:
        if ephemeral:
            throwaway = running.enter_context(TemporaryDirectory(prefix="memos-local-"))
            settings = using_data_dir(settings, throwaway)
        elif args.data_dir:
            settings = using_data_dir(settings, args.data_dir)
        try:
            aws = running.enter_context(
                local_aws(settings, s3_host=args.host, s3_port=args.s3_port)
            )
        except OSError as exc:
            print(f"error: {exc.strerror or exc}", file=sys.stderr)
            return 2
        data_line = "local data: throwaway (--ephemeral), gone when the server stops"
        if needs_emulation(settings) and not ephemeral:
            try:
                loaded = running.enter_context(
                    lasting_local_data(aws.settings, bucket_emulated=not settings.s3_endpoint)
                )
            except LocalDataError as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 2
            data_line = loaded.describe()
        running.enter_context(hashes_at_most(default_hashing_threads()))
        app = build_local_app(aws.settings)
        print(f"memos-serverless on http://{args.host}:{args.port} ({aws.description})", flush=True)
        print(f"  API docs: http://{args.host}:{args.port}/api/docs", flush=True)
        if needs_emulation(settings):
            print(f"  {data_line}", flush=True)
        served = WorkerThreadApp(app)  # blocking work in one request must not stall the rest
        # uvicorn stops on SIGINT or SIGTERM, then raises the signal again: make both end in an
        # exception here, so the local data is saved on the way out instead of lost to a kill.
        signal.signal(signal.SIGTERM, _stop_requested)
        with suppress(KeyboardInterrupt, StopRequestedError):
            uvicorn.run(served, host=args.host, port=args.port, lifespan="off", log_level="warning")
    return 0


class StopRequestedError(Exception):
    """SIGTERM: stop as on Ctrl-C."""


def _stop_requested(signum: int, frame: FrameType | None) -> None:
    raise StopRequestedError


if __name__ == "__main__":
    raise SystemExit(main())
