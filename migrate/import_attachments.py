"""Attachments: their bytes into the bucket, their records and memo links into the table.

Memos keeps the bytes in one of four places (spec §5): in the row (``storage_type`` ''), in a
file under its data directory (LOCAL), in an S3 bucket of its own (S3) or nowhere, the row being
a link (EXTERNAL). The first three are copied into this deployment's bucket, the S3 ones read
with the bucket settings Memos stored beside them; an EXTERNAL one stays a link. The bytes are
written before the record, so a run stopped in between writes them again and then the record.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlsplit

from memos.domain.webhook_urls import resolve_host
from memos.store.attachments import ATTACHMENT_COUNTER, Attachment
from memos.store.blobs import attachment_object_key
from memos.store.memo_extras import ExtrasChanges
from memos.store.writes import WriteConflictError, Writes
from migrate.import_memos import is_ours
from migrate.report import Outcome
from migrate.source import in_chunks, json_value

if TYPE_CHECKING:
    from collections.abc import Mapping

    from memos.store.memos import Memo
    from migrate.context import ImportContext
    from migrate.source import Row

ATTACHMENTS = "attachments"
LOCAL, S3, EXTERNAL = "LOCAL", "S3", "EXTERNAL"
# AWS's metadata service over IPv6 (169.254.169.254, its IPv4 address, is link-local).
_METADATA: Final = ipaddress.ip_address("fd00:ec2::254")


class MissingBytesError(Exception):
    """An attachment's bytes are not where its row says."""


def import_attachments(context: ImportContext) -> None:
    report = context.report
    report.start(ATTACHMENTS, context.source.count("SELECT COUNT(*) FROM attachment"))
    # Small chunks: each row holds its bytes.
    stores = context.stores
    for chunk in in_chunks(context.source.attachments(), 10):
        context.reserve_ids(ATTACHMENT_COUNTER, chunk)
        # One read of the chunk's attachments and memos, instead of two per attachment.
        existing = stores.attachments.get_many(str(row["uid"]) for row in chunk)
        memo_uids = [str(row["memo_uid"]) for row in chunk if row["memo_uid"] is not None]
        memos = {} if context.dry_run else stores.memos.get_many(memo_uids)
        for row in chunk:
            name = f"attachment {row['id']} ({row['uid']}, {row['filename']})"
            try:
                outcome, note = _import_attachment(
                    context, row, existing.get(str(row["uid"])), memos
                )
            except Exception as error:  # reported with the row; the run goes on
                outcome, note = Outcome.ERROR, str(error)
            report.record(ATTACHMENTS, outcome, f"{name}: {note}" if note else "")


def _import_attachment(  # noqa: PLR0911 - one return per outcome
    context: ImportContext, row: Row, existing: Attachment | None, memos: Mapping[str, Memo]
) -> tuple[Outcome, str]:
    stores = context.stores
    uid, creator_id = str(row["uid"]), int(row["creator_id"])
    if existing is not None:
        if existing.id == int(row["id"]):
            return Outcome.SKIPPED, ""
        return Outcome.CONFLICT, f"the target's attachment {uid} is another one ({existing.id})"
    if creator_id in context.source_users and creator_id not in context.own_users:
        return Outcome.SKIPPED, f"its creator (user {creator_id}) was not imported"
    storage = str(row["storage_type"] or "")
    if context.dry_run:
        if storage == LOCAL:
            _local_path(context, str(row["reference"]))  # fails when the file is missing
        return Outcome.IMPORTED, ""
    memo_uid = str(row["memo_uid"]) if row["memo_uid"] is not None else None
    note = ""
    if memo_uid is not None and not is_ours(memos.get(memo_uid), int(row["memo_id"])):
        memo_uid, note = None, f"its memo {row['memo_uid']} was not imported: left unlinked"
    data = _bytes(context, row, storage)
    attachment = Attachment(
        id=int(row["id"]),
        uid=uid,
        creator_id=creator_id,
        filename=str(row["filename"] or ""),
        type=str(row["type"] or ""),
        size=len(data) if data is not None else int(row["size"] or 0),
        created_ts=int(row["created_ts"]),
        updated_ts=int(row["updated_ts"]),
        memo_uid=memo_uid,
        storage_key=attachment_object_key(uid) if data is not None else "",
        external_link=str(row["reference"] or "") if storage == EXTERNAL else "",
    )
    if data is not None:
        stores.blobs.put(
            attachment.storage_key, data, attachment.type or "application/octet-stream"
        )
    writes = Writes(stores.table)
    stores.attachments.add_create(writes, attachment)
    if memo_uid is not None:
        changes = ExtrasChanges()
        changes.set_entry(memo_uid, "attachments", uid, attachment.updated_ts)
        changes.add_to(writes)
    try:
        writes.commit()
    except WriteConflictError as conflict:
        if f"attachment:{uid}" in conflict.labels:
            return Outcome.CONFLICT, "its uid was taken meanwhile"
        return Outcome.ERROR, f"its memo {memo_uid} is gone"
    return Outcome.IMPORTED, note


def _bytes(context: ImportContext, row: Row, storage: str) -> bytes | None:
    """The attachment's bytes, or None for a link (EXTERNAL)."""
    if storage == "":
        if row["blob"] is None:
            raise MissingBytesError("stored in the database, but its blob is empty")
        return bytes(row["blob"])
    if storage == LOCAL:
        return _local_path(context, str(row["reference"])).read_bytes()
    if storage == S3:
        return _s3_bytes(json_value(row["payload"]))
    if storage == EXTERNAL:
        return None
    raise MissingBytesError(f"unknown storage type {storage!r}")


def _local_path(context: ImportContext, reference: str) -> Path:
    """The file a LOCAL row names, relative to the data directory (or absolute, as older Memos
    stored them), only when it is inside that directory once every link is followed: a crafted
    row must not copy ``/etc/passwd`` or a key file into the bucket for its owner to read."""
    path = Path(reference)
    if not path.is_absolute():
        path = context.data_dir / path
    if not path.is_file():
        raise MissingBytesError(f"its file is missing: {path}")
    resolved = path.resolve()
    if not resolved.is_relative_to(context.data_dir.resolve()):
        raise MissingBytesError(f"its file is outside the data directory: {path}")
    return resolved


def _s3_bytes(payload: dict[str, Any]) -> bytes:
    """Read the object from the bucket Memos stored it in, with the settings stored with it."""
    import boto3  # noqa: PLC0415 - only for attachments Memos kept in S3
    from botocore.config import Config  # noqa: PLC0415

    s3_object = payload.get("s3Object") or {}
    config = s3_object.get("s3Config") or {}
    key, bucket = s3_object.get("key"), config.get("bucket")
    if not key or not bucket:
        raise MissingBytesError("kept in S3, but its row names no bucket and key")
    # Memos always reads with the keys stored beside the object. Without them boto3 would use
    # whoever runs the import, letting a crafted row copy that person's objects into memos.
    if not config.get("accessKeyId") or not config.get("accessKeySecret"):
        raise MissingBytesError("kept in S3, but its row names no access key for the bucket")
    endpoint = config.get("endpoint") or None
    if endpoint is not None:
        _check_endpoint(str(endpoint))
    client = boto3.client(
        "s3",
        aws_access_key_id=str(config["accessKeyId"]),
        aws_secret_access_key=str(config["accessKeySecret"]),
        endpoint_url=endpoint,
        region_name=config.get("region") or None,
        config=Config(s3={"addressing_style": "path" if config.get("usePathStyle") else "auto"}),
    )
    body = client.get_object(Bucket=str(bucket), Key=str(key))["Body"]
    try:
        return bytes(body.read())
    finally:
        body.close()


def _check_endpoint(endpoint: str) -> None:
    """Refuse an endpoint on a link-local address (cloud metadata and credential services):
    with path-style addressing a crafted bucket and key would make the import read, say, the
    instance role's credentials into an attachment. Private addresses stay allowed: Memos is
    often run beside a MinIO on the same network."""
    try:
        host = urlsplit(endpoint).hostname
    except ValueError:
        raise MissingBytesError("kept in S3, but its endpoint is no URL") from None
    if not host:
        raise MissingBytesError("kept in S3, but its endpoint is no URL")
    try:
        addresses = [host] if _is_ip(host) else resolve_host(host)
    except (OSError, UnicodeError):
        raise MissingBytesError(f"kept in S3, but its endpoint {host} does not resolve") from None
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        mapped = ip.ipv4_mapped if isinstance(ip, ipaddress.IPv6Address) else None
        if ip.is_link_local or (mapped is not None and mapped.is_link_local) or ip == _METADATA:
            raise MissingBytesError("kept in S3, but its endpoint is a link-local address")


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
