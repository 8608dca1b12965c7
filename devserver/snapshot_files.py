"""Files of the local data directory: written whole or not at all, and refused loudly when bad."""

from __future__ import annotations

import os
import secrets
from contextlib import contextmanager
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


class LocalDataError(Exception):
    """The local data directory cannot be used; the message says why and what to do."""


class DataDirInUseError(LocalDataError):
    """Another local server keeps its data in the same directory."""

    def __init__(self, data_dir: Path) -> None:
        super().__init__(
            f"another memos-serverless server is using the local data in {data_dir}: stop it, "
            "or give this one another directory (--data-dir, or --ephemeral for throwaway data)"
        )


class SnapshotError(LocalDataError):
    """Saved local data that cannot be loaded: the server must not start empty over it."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(
            f"cannot load the local data in {path}: {reason}.\n"
            "The server does not start, so it never replaces saved data with an empty table or "
            "bucket. Restore the file, or move it aside to start without it:\n"
            f"  mv '{path}' '{path}.broken'"
        )


@contextmanager
def replaced_atomically(path: Path) -> Iterator[BinaryIO]:
    """A file to write that takes ``path``'s place only once the block ends without error.

    Written beside ``path`` and renamed over it after an fsync, so a crash or a kill leaves
    either the old file or the new one, never a part of either.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{secrets.token_hex(4)}.partial")
    try:
        with draft.open("wb") as file:
            yield file
            file.flush()
            os.fsync(file.fileno())
        draft.replace(path)
    finally:
        draft.unlink(missing_ok=True)
