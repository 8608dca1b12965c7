"""The emulated bucket in a folder: each object's bytes in a file of its own, and an index.

The index (``index.json``) maps every key to its file, ETag, content type and metadata. A
file is named after its key and ETag, so an object is written once and kept until it changes
or goes; the index is replaced whole, and only then are files nobody lists any more removed.

Changes are found by listing the bucket through S3, so objects a browser posts straight to the
local S3 port are saved like those the server writes.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any, Final

from msgspec import Struct, field
from msgspec.structs import asdict

from devserver.snapshot_files import SnapshotError, replaced_atomically

if TYPE_CHECKING:
    from pathlib import Path

FORMAT: Final = "memos-serverless bucket snapshot"
VERSION: Final = 1
_CHUNK: Final = 1024 * 1024
_SERVER_SIDE_ENCRYPTION: Final = "AES256"  # as the attachment code writes its objects

# key -> (ETag, LastModified): what a listing says of each object
Listing = dict[str, tuple[str, str]]


class SavedObject(Struct, frozen=True):
    file: str
    etag: str
    last_modified: str  # as the bucket listing gives it, "" when unknown
    size: int
    content_type: str
    metadata: dict[str, str] = field(default_factory=dict)


def bucket_folder(data_dir: Path, bucket: str) -> Path:
    return data_dir / "s3" / bucket


class BucketSnapshot:
    """Saves a bucket into ``folder`` and puts it back from there."""

    def __init__(self, client: Any, bucket: str, folder: Path) -> None:
        self._client = client
        self._bucket = bucket
        self._objects = folder / "objects"
        self.index_path = folder / "index.json"
        self._saved: dict[str, SavedObject] = {}
        self._listed: Listing | None = None

    def restore(self) -> int:
        """Put every saved object back into the (existing) bucket; how many.

        Raises :class:`SnapshotError` when the index is unreadable or names a missing file.
        """
        saved = self._read_index()
        for key, entry in saved.items():
            with (self._objects / entry.file).open("rb") as body:
                self._client.put_object(
                    Bucket=self._bucket,
                    Key=key,
                    Body=body,
                    ContentType=entry.content_type,
                    Metadata=entry.metadata,
                    ServerSideEncryption=_SERVER_SIDE_ENCRYPTION,
                )
        listing = self._list()
        # Objects put back get new ETags and dates; their files stay the same.
        self._saved = {
            key: _marked(entry, *listing[key]) for key, entry in saved.items() if key in listing
        }
        self._listed = listing
        return len(saved)

    def save(self) -> bool:
        """Bring the folder up to the bucket's content; False when nothing had changed."""
        listing = self._list()
        if listing == self._listed:
            return False
        kept: dict[str, SavedObject] = {}
        for key, mark in listing.items():
            entry = self._saved.get(key)
            if entry is None or (entry.etag, entry.last_modified) != mark:
                entry = self._fetch(key, mark)
            if entry is not None:
                kept[key] = entry
        self._write_index(kept)
        self._remove_files_not_in(kept)
        self._saved, self._listed = kept, listing
        return True

    # Reading the bucket ---------------------------------------------------------------------

    def _list(self) -> Listing:
        listing: Listing = {}
        pages = self._client.get_paginator("list_objects_v2").paginate(Bucket=self._bucket)
        for page in pages:
            for found in page.get("Contents", []):
                listing[found["Key"]] = (found["ETag"], found["LastModified"].isoformat())
        return listing

    def _fetch(self, key: str, mark: tuple[str, str]) -> SavedObject | None:
        """Copy one object into its file; None when it was deleted meanwhile."""
        try:
            answer = self._client.get_object(Bucket=self._bucket, Key=key)
        except self._client.exceptions.NoSuchKey:
            return None
        etag = str(answer["ETag"])
        name = hashlib.sha256(f"{key}\0{etag}".encode()).hexdigest()
        body = answer["Body"]
        try:
            if not (self._objects / name).exists():
                with replaced_atomically(self._objects / name) as file:
                    for chunk in body.iter_chunks(_CHUNK):
                        file.write(chunk)
        finally:
            body.close()
        return SavedObject(
            file=name,
            etag=etag,
            # changed since it was listed: compare again next time
            last_modified=mark[1] if etag == mark[0] else "",
            size=int(answer["ContentLength"]),
            content_type=str(answer.get("ContentType") or "application/octet-stream"),
            metadata=dict(answer.get("Metadata") or {}),
        )

    # The folder -------------------------------------------------------------------------------

    def _write_index(self, saved: dict[str, SavedObject]) -> None:
        document = {
            "format": FORMAT,
            "version": VERSION,
            "bucket": self._bucket,
            "objects": {key: asdict(entry) for key, entry in sorted(saved.items())},
        }
        with replaced_atomically(self.index_path) as file:
            file.write(json.dumps(document, indent=1).encode())

    def _read_index(self) -> dict[str, SavedObject]:
        path = self.index_path
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise SnapshotError(path, f"unreadable ({error})") from error
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise SnapshotError(path, "not a bucket snapshot index")
        if document.get("version") != VERSION:
            raise SnapshotError(path, f"index version {document.get('version')!r}, not {VERSION}")
        objects = document.get("objects")
        if not isinstance(objects, dict):
            raise SnapshotError(path, 'its "objects" is not a map of keys')
        saved: dict[str, SavedObject] = {}
        for key, fields in objects.items():
            try:
                entry = SavedObject(**fields)
            except TypeError as error:
                raise SnapshotError(path, f"the entry of {key!r} is malformed") from error
            if not (self._objects / entry.file).is_file():
                raise SnapshotError(
                    path, f"the bytes of {key!r} are missing ({self._objects / entry.file})"
                )
            saved[key] = entry
        return saved

    def _remove_files_not_in(self, saved: dict[str, SavedObject]) -> None:
        wanted = {entry.file for entry in saved.values()}
        if not self._objects.is_dir():
            return
        for path in self._objects.iterdir():
            if path.name not in wanted:
                path.unlink(missing_ok=True)


def _marked(entry: SavedObject, etag: str, last_modified: str) -> SavedObject:
    return SavedObject(
        entry.file, etag, last_modified, entry.size, entry.content_type, entry.metadata
    )
