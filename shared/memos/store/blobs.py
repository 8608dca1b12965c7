"""Attachment bytes in S3: one object per attachment, its thumbnail, and direct uploads.

Every object key comes from this module (the S3 counterpart of :mod:`memos.store.keys`); the
infrastructure scopes IAM and the lifecycle rules to the same prefixes:

- ``attachments/<uid>``: an attachment's bytes (uids are unique, so keys never collide);
- ``thumbnails/<uid>``: its thumbnail, made once and kept;
- ``uploads/<creator id>/<upload id>``: a direct upload that has not been finalized yet (the
  bucket expires what stays there).

Objects are written with server-side encryption and their content type; the S3 client is built
on first use, so functions that never touch S3 never pay for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from msgspec import Struct, field

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

ATTACHMENT_PREFIX: Final = "attachments/"
THUMBNAIL_PREFIX: Final = "thumbnails/"
UPLOAD_PREFIX: Final = "uploads/"
SERVER_SIDE_ENCRYPTION: Final = "AES256"
_DELETE_BATCH: Final = 1000  # DeleteObjects' most keys per call


def attachment_object_key(uid: str) -> str:
    return f"{ATTACHMENT_PREFIX}{uid}"


def thumbnail_object_key(uid: str) -> str:
    return f"{THUMBNAIL_PREFIX}{uid}"


def upload_object_key(creator_id: int, upload_id: str) -> str:
    return f"{UPLOAD_PREFIX}{creator_id}/{upload_id}"


class BlobInfo(Struct, frozen=True):
    """What S3 says about an object (HeadObject or GetObject)."""

    key: str
    size: int
    content_type: str
    etag: str  # as S3 gives it, quotes included
    last_modified: int  # Unix seconds
    metadata: Mapping[str, str] = field(default_factory=dict)


class ListedObject(Struct, frozen=True):
    """One object as a bucket listing names it."""

    key: str
    etag: str  # as S3 gives it, quotes included
    last_modified: int  # Unix seconds


class ObjectPage(Struct, frozen=True):
    """One page of a listing in key order; ``more`` tells whether keys follow the last one."""

    objects: list[ListedObject]
    more: bool


class Blob(Struct, frozen=True):
    info: BlobInfo
    data: bytes


class PresignedPost(Struct, frozen=True):
    """A browser-style form upload: POST ``fields`` plus the file (last) to ``url``."""

    url: str
    fields: Mapping[str, str]


class BlobStore:
    """The attachment bucket."""

    def __init__(self, client: Callable[[], Any], bucket: str) -> None:
        self._client_factory = client
        self._client: Any = None
        self.bucket = bucket

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = self._client_factory()
        return self._client

    def ensure_bucket(self) -> bool:
        """Create the bucket unless it exists; True when it was created.

        For the local server and tests only: in the cloud the infrastructure owns the bucket.
        """
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except self.client.exceptions.ClientError as error:
            if not _is_missing(error):
                raise
        else:
            return False
        self.client.create_bucket(Bucket=self.bucket)
        return True

    def put(
        self,
        key: str,
        data: bytes,
        content_type: str,
        *,
        metadata: Mapping[str, str] | None = None,
    ) -> str:
        """Write the object; returns its ETag."""
        answer = self.client.put_object(
            Bucket=self.bucket,
            Key=key,
            Body=data,
            ContentType=content_type,
            ContentLength=len(data),
            ServerSideEncryption=SERVER_SIDE_ENCRYPTION,
            Metadata=dict(metadata or {}),
        )
        return str(answer.get("ETag", ""))

    def get(self, key: str) -> Blob | None:
        """The whole object, or None when there is none."""
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=key)
        except self.client.exceptions.NoSuchKey:
            return None
        body = answer["Body"]
        try:
            data = body.read()
        finally:
            body.close()
        return Blob(_info(key, answer), data)

    def head(self, key: str) -> BlobInfo | None:
        """The object's size, type and metadata, or None when there is none."""
        try:
            answer = self.client.head_object(Bucket=self.bucket, Key=key)
        except self.client.exceptions.ClientError as error:
            if _is_missing(error):
                return None
            raise
        return _info(key, answer)

    def delete(self, key: str) -> None:
        """Remove the object; a missing object is not an error."""
        self.client.delete_object(Bucket=self.bucket, Key=key)

    def delete_many(self, keys: Iterable[str]) -> list[str]:
        """Remove every object named; returns the keys S3 reported it could not delete."""
        wanted = list(dict.fromkeys(keys))
        failed: list[str] = []
        for start in range(0, len(wanted), _DELETE_BATCH):
            batch = wanted[start : start + _DELETE_BATCH]
            answer = self.client.delete_objects(
                Bucket=self.bucket,
                Delete={"Objects": [{"Key": key} for key in batch], "Quiet": True},
            )
            failed.extend(str(error["Key"]) for error in answer.get("Errors", []))
        return failed

    def list_page(self, prefix: str, *, start_after: str | None, limit: int) -> ObjectPage:
        """Up to ``limit`` (at most 1,000) objects under ``prefix`` whose keys sort after
        ``start_after`` (None: from the first), in key order."""
        params: dict[str, Any] = {"Bucket": self.bucket, "Prefix": prefix, "MaxKeys": limit}
        if start_after:
            params["StartAfter"] = start_after
        answer = self.client.list_objects_v2(**params)
        objects = [
            ListedObject(
                key=str(found["Key"]),
                etag=str(found.get("ETag", "")),
                last_modified=int(found["LastModified"].timestamp()),
            )
            for found in answer.get("Contents", [])
        ]
        return ObjectPage(objects, more=bool(answer.get("IsTruncated")))

    def delete_unchanged(self, objects: Iterable[ListedObject]) -> list[str]:
        """Remove each object unless it was written again since it was listed (S3 compares
        its ETag); returns the keys not deleted, changed ones included."""
        wanted = list({found.key: found for found in objects}.values())
        failed: list[str] = []
        for start in range(0, len(wanted), _DELETE_BATCH):
            batch = wanted[start : start + _DELETE_BATCH]
            answer = self.client.delete_objects(
                Bucket=self.bucket,
                Delete={
                    "Objects": [{"Key": found.key, "ETag": found.etag} for found in batch],
                    "Quiet": True,
                },
            )
            failed.extend(str(error["Key"]) for error in answer.get("Errors", []))
        return failed

    def copy(self, source_key: str, target_key: str, *, content_type: str) -> str:
        """Server-side copy (objects up to 5 GB); returns the new object's ETag."""
        answer = self.client.copy_object(
            Bucket=self.bucket,
            Key=target_key,
            CopySource={"Bucket": self.bucket, "Key": source_key},
            ContentType=content_type,
            MetadataDirective="REPLACE",
            ServerSideEncryption=SERVER_SIDE_ENCRYPTION,
        )
        return str(answer.get("CopyObjectResult", {}).get("ETag", ""))

    def presigned_get(
        self,
        key: str,
        expires_seconds: int,
        *,
        content_type: str | None = None,
        content_disposition: str | None = None,
    ) -> str:
        """A URL that reads the object until it expires (S3 then serves ranges itself)."""
        params: dict[str, str] = {"Bucket": self.bucket, "Key": key}
        if content_type:
            params["ResponseContentType"] = content_type
        if content_disposition:
            params["ResponseContentDisposition"] = content_disposition
        url: str = self.client.generate_presigned_url(
            "get_object", Params=params, ExpiresIn=expires_seconds
        )
        return url

    def presigned_post(
        self,
        key: str,
        *,
        content_type: str,
        max_bytes: int,
        expires_seconds: int,
        min_bytes: int = 0,
        metadata: Mapping[str, str] | None = None,
    ) -> PresignedPost:
        """A form upload to exactly ``key``, its type and size range pinned by the policy.

        ``metadata`` becomes the object's user metadata (``x-amz-meta-<name>`` fields, each
        pinned to its value by the policy, so the uploader cannot change them).
        """
        fields = {"Content-Type": content_type, "x-amz-server-side-encryption": "AES256"}
        conditions: list[Any] = [
            {"Content-Type": content_type},
            {"x-amz-server-side-encryption": SERVER_SIDE_ENCRYPTION},
            ["content-length-range", min_bytes, max_bytes],
        ]
        for name, value in (metadata or {}).items():
            fields[f"x-amz-meta-{name}"] = value
            conditions.append({f"x-amz-meta-{name}": value})
        answer = self.client.generate_presigned_post(
            Bucket=self.bucket,
            Key=key,
            Fields=fields,
            Conditions=conditions,
            ExpiresIn=expires_seconds,
        )
        return PresignedPost(url=str(answer["url"]), fields=dict(answer["fields"]))


def _info(key: str, answer: Mapping[str, Any]) -> BlobInfo:
    modified = answer.get("LastModified")
    return BlobInfo(
        key=key,
        size=int(answer.get("ContentLength", 0)),
        content_type=str(answer.get("ContentType", "")),
        etag=str(answer.get("ETag", "")),
        last_modified=int(modified.timestamp()) if modified is not None else 0,
        metadata=dict(answer.get("Metadata", {})),
    )


def _is_missing(error: Any) -> bool:
    response = getattr(error, "response", None) or {}
    code = str(response.get("Error", {}).get("Code", ""))
    status = int(response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
    return code in ("404", "NoSuchKey", "NotFound") or status == 404
