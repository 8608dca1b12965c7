"""Writing attachment records: new ones (once their bytes are in S3), renames and deletes.

Both ways in (CreateAttachment's inline bytes and a finalized direct upload) end in
:func:`record_new_attachment`: the record, and when a memo is named the memo's side of the link,
are written in one transaction, so an attachment is never half-linked. The memo must exist at
that moment. Renames and deletes change the memo's side in the same transaction too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from msgspec.structs import replace

from memos import names
from memos.caller import PERMISSION_DENIED, is_admin
from memos.domain.resource_uids import is_valid_uid, new_uid
from memos.errors import (
    AlreadyExistsError,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    UnavailableError,
)
from memos.store import keys
from memos.store.attachments import Attachment, attachment_item
from memos.store.clock import epoch_seconds
from memos.store.table import ConditionFailedError, attribute_equals
from memos.store.writes import WriteConflictError, Writes

if TYPE_CHECKING:
    from memos.store import Stores
    from memos.store.clock import Clock
    from memos.store.users import User

INVALID_UID: Final = (
    "invalid attachment_id format: must be 1-32 characters, alphanumeric and hyphens only, "
    "cannot start or end with hyphen"
)
ATTACHMENT_NOT_FOUND: Final = "attachment not found"
_ATTEMPTS: Final = 5


def new_attachment_uid() -> str:
    """A random 22-character id in Memos' short-UUID alphabet (about 128 bits)."""
    return new_uid()


def validate_attachment_uid(uid: str) -> None:
    """Refuse an ``attachment_id`` the store could not keep (INVALID_ARGUMENT)."""
    if not is_valid_uid(uid):
        raise InvalidArgumentError(INVALID_UID)


def already_exists(uid: str) -> AlreadyExistsError:
    return AlreadyExistsError(f'attachment with ID "{uid}" already exists')


def memo_to_link(stores: Stores, user: User, name: str) -> str:
    """The uid of the memo ``name``, which a new attachment may be linked to only by whoever may
    change that memo (its creator or an ADMIN). Memos checks no permission here, which lets
    anyone add files to anyone's memo, shown there under the owner's name; so we refuse it
    (PERMISSION_DENIED), and a memo that does not exist is NOT_FOUND, as in Memos."""
    uid = names.parse_memo_name(name)
    memo = stores.memos.get(uid)
    if memo is None:
        raise NotFoundError(f"memo not found: {name}")
    if memo.creator_id != user.id and not is_admin(user):
        raise PermissionDeniedError(PERMISSION_DENIED)
    return uid


def record_new_attachment(
    stores: Stores,
    *,
    creator_id: int,
    filename: str,
    mime_type: str,
    size: int,
    storage_key: str,
    memo_uid: str | None,
    uid: str | None = None,
    clock: Clock = epoch_seconds,
) -> Attachment:
    """Write the record of an attachment whose bytes are already at ``storage_key``.

    A taken ``uid`` is ALREADY_EXISTS; a ``memo_uid`` naming no memo is NOT_FOUND
    ("memo not found: memos/<uid>"). Nothing is written in either case.
    """
    if uid is None:
        uid = new_attachment_uid()
    else:
        validate_attachment_uid(uid)
    now = clock()
    attachment = Attachment(
        id=stores.attachments.next_id(),
        uid=uid,
        creator_id=creator_id,
        filename=filename,
        type=mime_type,
        size=size,
        created_ts=now,
        updated_ts=now,
        memo_uid=memo_uid or None,
        storage_key=storage_key,
    )
    if attachment.memo_uid is None:
        try:
            stores.attachments.create(attachment)
        except ConditionFailedError as taken:
            raise already_exists(uid) from taken
        return attachment
    from memos.store.memo_extras import ExtrasChanges  # noqa: PLC0415 - writes to a memo only

    writes = Writes(stores.table)
    stores.attachments.add_create(writes, attachment)
    changes = ExtrasChanges()
    changes.set_entry(attachment.memo_uid, "attachments", uid, now)
    changes.add_to(writes)
    try:
        writes.commit()
    except WriteConflictError as conflict:
        if f"attachment:{uid}" in conflict.labels:
            raise already_exists(uid) from conflict
        raise NotFoundError(f"memo not found: {names.memo_name(attachment.memo_uid)}") from conflict
    return attachment


def touch_attachment(
    stores: Stores, uid: str, *, filename: str | None, clock: Clock = epoch_seconds
) -> Attachment:
    """UpdateAttachment's write: the new ``filename`` (None: unchanged) and, always, the update
    time set to now, which also moves it to the front of its memo's attachments."""
    vanished: set[str | None] = set()
    for _ in range(_ATTEMPTS):
        current = stores.attachments.get(uid)
        if current is None:
            raise NotFoundError(ATTACHMENT_NOT_FOUND)
        now = clock()
        updated = replace(
            current,
            filename=current.filename if filename is None else filename,
            updated_ts=now,
        )
        memo_uid = current.memo_uid if current.memo_uid not in vanished else None
        writes = Writes(stores.table)
        writes.put(
            attachment_item(updated),
            condition=attribute_equals("updated_ts", current.updated_ts),
            label=f"attachment:{uid}",
        )
        if memo_uid:
            from memos.store.memo_extras import ExtrasChanges  # noqa: PLC0415 - see above

            changes = ExtrasChanges()
            changes.set_entry(memo_uid, "attachments", uid, now)
            changes.add_to(writes)
        try:
            writes.commit()
        except WriteConflictError as conflict:
            if f"attachment:{uid}" not in conflict.labels and memo_uid:
                vanished.add(memo_uid)  # its memo is gone: the record alone changes
            continue  # read again
        return updated
    raise UnavailableError("too many concurrent changes to this attachment; try again")


def delete_record(stores: Stores, attachment: Attachment) -> None:
    """Delete the record and its memo's link (a memo deleted meanwhile has none left)."""
    writes = Writes(stores.table)
    writes.delete(keys.attachment_key(attachment.uid), label=f"attachment:{attachment.uid}")
    if attachment.memo_uid:
        from memos.store.memo_extras import ExtrasChanges  # noqa: PLC0415 - see above

        changes = ExtrasChanges()
        changes.remove_entry(attachment.memo_uid, "attachments", attachment.uid)
        changes.add_to(writes)
    try:
        writes.commit()
    except WriteConflictError:
        stores.table.delete(keys.attachment_key(attachment.uid))
