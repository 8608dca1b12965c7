"""Local data that lasts: the emulated table and bucket kept in the local data directory.

At start the saved table and bucket are put back into the emulation; then a thread saves them
every :data:`SNAPSHOT_SECONDS` when something changed (less often for a table so large that
reading it takes more than a fifth of that), and once more when the server stops cleanly
(Ctrl-C, SIGTERM). A crash loses at most the last few seconds. Laid out under the
local data directory (``MEMOS_LOCAL_DATA_DIR``, which also keeps the JWT signing secret)::

    dynamodb/<table>.jsonl        header line, then one item per line in DynamoDB JSON
    s3/<bucket>/index.json        key -> file, ETag, content type, metadata
    s3/<bucket>/objects/<sha256>  an object's bytes
    serve.lock                    held by the running server

Saved data that cannot be read stops the start-up with a message naming the file, instead of
starting empty over it.
"""

from __future__ import annotations

import fcntl
import os
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Final

from msgspec import Struct
from msgspec.structs import replace

from devserver import emulated_table
from devserver.bucket_snapshot import BucketSnapshot, bucket_folder
from devserver.snapshot_files import DataDirInUseError
from devserver.table_snapshot import load_table, save_table, table_file
from memos.config import ENV_LOCAL_DATA_DIR, get_settings

if TYPE_CHECKING:
    from collections.abc import Iterator

    from devserver.emulated_table import EmulatedWrites
    from memos.config import Settings

SNAPSHOT_SECONDS: Final = 2.0
ENV_EPHEMERAL: Final = "MEMOS_LOCAL_EPHEMERAL"
LOCK_FILE: Final = "serve.lock"
# Saves of a large table come at most this many times their reading time apart, so requests
# never wait on them more than a fifth of the time (20,000 items read in about 1 s).
_READ_SHARE: Final = 5.0
_NEVER: Final = float(24 * 3600)  # one save, at the end, for a command that runs offline


def ephemeral_from_environ() -> bool:
    return os.environ.get(ENV_EPHEMERAL, "").strip().lower() in {"1", "true", "yes", "on"}


def using_data_dir(settings: Settings, data_dir: str | Path) -> Settings:
    """``settings`` with ``data_dir`` as the local data directory, for code reading the
    environment too."""
    os.environ[ENV_LOCAL_DATA_DIR] = str(data_dir)
    get_settings.cache_clear()
    return replace(settings, local_data_dir=str(data_dir))


class Loaded(Struct, frozen=True):
    """What was put back at start."""

    data_dir: Path
    items: int
    objects: int | None  # None when the bucket is not emulated (and so not kept)

    def describe(self) -> str:
        kept = "table" if self.objects is None else "table and bucket"
        objects = "" if self.objects is None else f", {self.objects} objects"
        return (
            f"local data in {self.data_dir} ({self.items} items{objects} loaded); {kept} saved "
            f"every {SNAPSHOT_SECONDS:g} s and on stop: a crash loses at most the last "
            f"{SNAPSHOT_SECONDS:g} s"
        )


class Snapshots:
    """Saves the table when a write happened since the last save, and the bucket's changes."""

    def __init__(
        self, writes: EmulatedWrites, settings: Settings, bucket: BucketSnapshot | None
    ) -> None:
        self._writes = writes
        self._region = settings.aws_region
        self._table = settings.table_name
        self._table_path = table_file(Path(settings.local_data_dir), settings.table_name)
        self._bucket = bucket
        self._saved_count = writes.count
        self.last_read_seconds = 0.0  # requests wait while the table is read
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def save_changes(self) -> None:
        with self._writes.gate:  # no emulated request half applied while the table is read
            count = self._writes.count
            started = time.monotonic()
            lines = (
                emulated_table.item_lines(self._region, self._table)
                if count != self._saved_count
                else None
            )
            self.last_read_seconds = time.monotonic() - started
        if lines is not None:
            save_table(self._table_path, self._table, lines)
            self._saved_count = count
        if self._bucket is not None:
            self._bucket.save()

    def start(self, every: float = SNAPSHOT_SECONDS) -> None:
        def loop() -> None:
            while not self._stop.wait(max(every, self.last_read_seconds * _READ_SHARE)):
                self._save_or_warn()

        self._thread = threading.Thread(target=loop, name="memos-local-data", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the thread and save what changed since its last round."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self._save_or_warn()

    def _save_or_warn(self) -> None:
        try:
            self.save_changes()
        except Exception as error:  # keep serving; the next round tries again
            print(f"local data: saving failed: {error}", file=sys.stderr, flush=True)


@contextmanager
def lasting_local_data(
    settings: Settings, *, bucket_emulated: bool, every: float = SNAPSHOT_SECONDS
) -> Iterator[Loaded]:
    """Put the saved table (and bucket, when emulated) back, and keep saving them until the
    block ends. Needs the emulation active (``devserver.aws.local_aws``); enter it before the
    app starts, so nothing loaded is seen as new (the webhook loop reads the change stream from
    where it stands when it starts).

    Raises :class:`~devserver.snapshot_files.LocalDataError` when the data is unusable.
    """
    from memos.store.clients import dynamodb_client_for, ensure_table, s3_client  # noqa: PLC0415

    data_dir = Path(settings.local_data_dir).resolve()
    with _only_server_on(data_dir), emulated_table.counting_writes() as writes:
        ensure_table(dynamodb_client_for(settings), settings.table_name)
        items = load_table(
            table_file(data_dir, settings.table_name), settings.aws_region, settings.table_name
        )
        bucket: BucketSnapshot | None = None
        if bucket_emulated:
            client = s3_client(settings.aws_region, settings.s3_endpoint)
            _ensure_bucket(client, settings.bucket_name)
            bucket = BucketSnapshot(
                client, settings.bucket_name, bucket_folder(data_dir, settings.bucket_name)
            )
        objects = bucket.restore() if bucket is not None else None
        kept_in = replace(settings, local_data_dir=str(data_dir))
        snapshots = Snapshots(writes, kept_in, bucket)
        snapshots.start(every)
        try:
            yield Loaded(data_dir, items, objects)
        finally:
            snapshots.stop()


@contextmanager
def _only_server_on(data_dir: Path) -> Iterator[None]:
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    with (data_dir / LOCK_FILE).open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise DataDirInUseError(data_dir) from error
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _ensure_bucket(client: object, bucket: str) -> None:
    from memos.store.blobs import BlobStore  # noqa: PLC0415

    BlobStore(lambda: client, bucket).ensure_bucket()


@contextmanager
def local_data_offline(settings: Settings) -> Iterator[Settings]:
    """The local server's saved data, emulated and loaded while the block runs and saved once
    at its end: for commands run while the server is stopped (``import``, ``export``). Yields
    settings pointing at the emulation. Refused while a server uses the same directory."""
    from devserver.aws import local_aws, needs_emulation  # noqa: PLC0415

    if not needs_emulation(settings):
        yield settings  # real endpoints: their data is where they are
        return
    with (
        local_aws(settings, s3_port=0) as aws,
        lasting_local_data(aws.settings, bucket_emulated=not settings.s3_endpoint, every=_NEVER),
    ):
        yield aws.settings
