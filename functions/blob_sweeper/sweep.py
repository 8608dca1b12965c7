"""Removing attachment objects that no record refers to.

Bytes can outlive their record's absence in two ways: a function that stops between writing an
object and writing its record (CreateAttachment's put, finalize's copy), and an S3 delete that
fails after the records were deleted (memo-side deletes log it and carry on). Nothing reads
such an object again (``/file`` needs the record), so it only costs storage.

The sweep lists ``attachments/`` then ``thumbnails/`` in key order, a bounded number of pages
per run, and remembers where it stopped (:mod:`functions.blob_sweeper.cursor`), so a large
bucket is covered over several runs. An object is deleted when it is older than the grace
period and the table has no record of its uid (one BatchGetItem per hundred keys). Younger
objects are never touched: their record may be about to be written. Deletes are conditional on
the ETag the listing gave, so an object written again since (a create choosing that uid) stays.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from msgspec import Struct, field

from memos.store.blobs import ATTACHMENT_PREFIX, THUMBNAIL_PREFIX

if TYPE_CHECKING:
    from functions.blob_sweeper.cursor import SweepCursor
    from memos.store.attachments import AttachmentStore
    from memos.store.blobs import BlobStore, ListedObject

PREFIXES: Final = (ATTACHMENT_PREFIX, THUMBNAIL_PREFIX)
GRACE_SECONDS: Final = 24 * 60 * 60  # an upload in flight is far younger than this
PAGE_SIZE: Final = 1000  # ListObjectsV2's most keys per page
PAGE_BUDGET: Final = 50  # pages per run: 50,000 objects a day


class SweepReport(Struct):
    """What one run saw and did; ``orphans`` are the keys deleted (or, in a dry run, to be)."""

    dry_run: bool = False
    listed: int = 0
    young: int = 0
    referenced: int = 0
    unrecognised: int = 0  # keys that do not name a uid; left alone
    orphans: list[str] = field(default_factory=list)
    not_deleted: list[str] = field(default_factory=list)  # refused, or written since listed
    finished: bool = False  # the run reached the end of the last prefix

    @property
    def deleted(self) -> int:
        return 0 if self.dry_run else len(self.orphans) - len(self.not_deleted)

    def counts(self) -> dict[str, int | bool]:
        """The figures to log: counts only, never keys."""
        return {
            "dry_run": self.dry_run,
            "listed": self.listed,
            "young": self.young,
            "referenced": self.referenced,
            "unrecognised": self.unrecognised,
            "orphans": len(self.orphans),
            "deleted": self.deleted,
            "not_deleted": len(self.not_deleted),
            "finished": self.finished,
        }


class SweepOptions(Struct, frozen=True):
    now: int  # Unix seconds
    grace_seconds: int = GRACE_SECONDS
    pages: int = PAGE_BUDGET
    dry_run: bool = False


def sweep_blobs(
    blobs: BlobStore,
    attachments: AttachmentStore,
    cursor: SweepCursor,
    options: SweepOptions,
) -> SweepReport:
    """One run: up to ``options.pages`` listing pages from where the last run stopped.

    A dry run reads the cursor but neither deletes nor moves it.
    """
    sweep = _Sweep(blobs, attachments, options)
    after = cursor.load()
    index = _prefix_index(after)
    if index is None:  # a cursor from another layout: start again
        index, after = 0, ""
    for _ in range(options.pages):
        prefix = PREFIXES[index]
        page = blobs.list_page(prefix, start_after=after or None, limit=PAGE_SIZE)
        sweep.page(prefix, page.objects)
        if page.more and page.objects:
            after = page.objects[-1].key
        elif index + 1 < len(PREFIXES):
            index, after = index + 1, ""
        else:
            sweep.report.finished = True
            after = ""
        if not options.dry_run:
            cursor.save(after)
        if sweep.report.finished:
            break
    return sweep.report


def _prefix_index(after: str) -> int | None:
    if not after:
        return 0
    for index, prefix in enumerate(PREFIXES):
        if after.startswith(prefix):
            return index
    return None


class _Sweep:
    def __init__(
        self, blobs: BlobStore, attachments: AttachmentStore, options: SweepOptions
    ) -> None:
        self._blobs = blobs
        self._attachments = attachments
        self._cutoff = options.now - options.grace_seconds
        self.report = SweepReport(dry_run=options.dry_run)

    def page(self, prefix: str, objects: list[ListedObject]) -> None:
        """Look up the uids of one page's old objects; delete those without a record."""
        report = self.report
        report.listed += len(objects)
        candidates: dict[str, ListedObject] = {}
        for found in objects:
            uid = found.key.removeprefix(prefix)
            if not uid or "/" in uid:
                report.unrecognised += 1
            elif found.last_modified > self._cutoff:
                report.young += 1
            else:
                candidates[uid] = found
        if not candidates:
            return
        records = self._attachments.get_many(candidates)
        report.referenced += len(records)
        orphans = [found for uid, found in candidates.items() if uid not in records]
        report.orphans.extend(found.key for found in orphans)
        if orphans and not report.dry_run:
            report.not_deleted.extend(self._blobs.delete_unchanged(orphans))
