"""The service table: one row per Lambda, with exactly the data access it is granted.

Each row names the proto service it serves (its routes come from the descriptors), the folder
under ``functions/`` holding its handler, and its least-privilege grants: the DynamoDB actions it
may call on the table, the indexes it may query, the S3 actions it may take under which key
prefixes of the attachment bucket, and whether it reads the JWT signing secret. Actions are
written out; none is a wildcard, and ``dynamodb:Scan`` is never granted (no request path scans).

The two webhook functions serve no routes: the dispatcher reads the table's stream and the
sender the delivery queue. Their stream and queue grants name resources made next to them
(:mod:`infra.webhook_pipeline`), so they are added there; their table grants are here.

Every service function verifies bearer tokens itself when a route carries no authorizer (public
methods with optional auth), so each reads the signing secret, may ``GetItem`` (personal access
tokens are looked up by hash) and ``UpdateItem`` (a token's last-used time is recorded).
"""

from __future__ import annotations

from typing import Final

from msgspec import Struct

from infra.names import (
    ATTACHMENT_KEY_PREFIX,
    AUTHORIZER_KEY,
    THUMBNAIL_KEY_PREFIX,
    UPLOAD_KEY_PREFIX,
)
from memos.store.schema import GSI1, GSI2

# DynamoDB action groups. Transactions need no actions of their own: IAM checks the item
# actions inside them (GetItem, PutItem, UpdateItem, DeleteItem, ConditionCheckItem).
TABLE_READ: Final = ("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query")
TABLE_WRITE: Final = (
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
)
TABLE_READ_WRITE: Final = TABLE_READ + TABLE_WRITE
# What verifying a token needs: the token and user lookups, and the PAT's last-used time.
TOKEN_CHECK: Final = ("dynamodb:GetItem", "dynamodb:UpdateItem")


class BlobAccess(Struct, frozen=True):
    """S3 object actions under some key prefixes of the attachment bucket."""

    actions: tuple[str, ...]
    prefixes: tuple[str, ...]
    # s3:ListBucket on the bucket: without it S3 answers 403, not 404, for a missing object,
    # and "no thumbnail yet" or "never uploaded" would look like an outage.
    lists_bucket: bool = False


# Bytes, thumbnails and direct uploads: read, written (CopyObject from an upload is a read
# and a write) and deleted. DeleteObjects is authorized per key by s3:DeleteObject. A large
# finalized upload is copied in parts (a multipart upload authorized by s3:PutObject), and a
# copy that fails is aborted, which needs its own action.
ATTACHMENT_BLOBS: Final = BlobAccess(
    actions=("s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"),
    prefixes=(ATTACHMENT_KEY_PREFIX, THUMBNAIL_KEY_PREFIX, UPLOAD_KEY_PREFIX),
    lists_bucket=True,
)
# Deleting a memo deletes its attachments' bytes and thumbnails (a missing key is no error).
MEMO_BLOBS: Final = BlobAccess(
    actions=("s3:DeleteObject",), prefixes=(ATTACHMENT_KEY_PREFIX, THUMBNAIL_KEY_PREFIX)
)

# Lambda gives CPU in proportion to memory, one full vCPU at 1,769 MB. A bcrypt hash or check at
# cost 10 is about 70 ms of one core, so it takes ~240 ms at 512 MB and ~120 ms at 1,024 MB; the
# GB-seconds of that CPU-bound part are the same at any size up to one vCPU (bcrypt uses one
# thread). See docs/decisions.md, "Memory sizes follow the CPU a function needs".
ONE_VCPU_MB: Final = 1769


class FunctionSpec(Struct, frozen=True):
    """One Lambda: what it serves and what it may touch."""

    key: str  # folder under functions/, e.g. "memo"; also the construct id's stem
    service: str | None  # "memos.api.v1.MemoService"; None for the authorizer
    table_actions: tuple[str, ...]
    indexes: tuple[str, ...] = ()  # GSI names it queries
    blobs: BlobAccess | None = None  # objects of the attachment bucket
    reads_signing_secret: bool = True
    memory_mb: int = 512
    timeout_seconds: int = 15
    reserved_concurrency: int | None = None

    @property
    def handler(self) -> str:
        return f"functions.{self.key}.handler.handler"

    @property
    def construct_id(self) -> str:
        return "".join(part.capitalize() for part in self.key.split("_")) + "Function"


SERVICE_FUNCTIONS: Final[tuple[FunctionSpec, ...]] = (
    FunctionSpec(
        "auth",
        "memos.api.v1.AuthService",
        TABLE_READ_WRITE,
        memory_mb=ONE_VCPU_MB,  # SignIn checks a bcrypt hash on every password sign-in
    ),
    FunctionSpec(
        "user",
        "memos.api.v1.UserService",
        TABLE_READ_WRITE,
        indexes=(GSI1.name, GSI2.name),
        memory_mb=1024,  # sign-up and password changes hash; its many reads do not
    ),
    FunctionSpec(
        "memo",
        "memos.api.v1.MemoService",
        TABLE_READ_WRITE,
        indexes=(GSI1.name, GSI2.name),
        blobs=MEMO_BLOBS,
    ),
    FunctionSpec(
        "attachment",
        "memos.api.v1.AttachmentService",
        TABLE_READ_WRITE,
        indexes=(GSI1.name, GSI2.name),
        blobs=ATTACHMENT_BLOBS,
        # A full vCPU for Pillow (thumbnails, JPEG metadata stripping: CPU-bound, one thread),
        # and room for a decoded image at Pillow's pixel limit beside the inline payload.
        memory_mb=ONE_VCPU_MB,
        timeout_seconds=29,  # API Gateway's integration timeout
    ),
    FunctionSpec("shortcut", "memos.api.v1.ShortcutService", TABLE_READ_WRITE),
    FunctionSpec(
        "activity",
        "memos.api.v1.ActivityService",
        (*TABLE_READ, "dynamodb:UpdateItem"),  # reads only, but records PAT last use
        indexes=(GSI1.name,),
    ),
    FunctionSpec("instance", "memos.api.v1.InstanceService", TABLE_READ_WRITE),
    FunctionSpec(
        "idp", "memos.api.v1.IdentityProviderService", TABLE_READ_WRITE, indexes=(GSI1.name,)
    ),
)

# The HTTP API Lambda authorizer: resolves a bearer token (JWT or personal access token).
AUTHORIZER_FUNCTION: Final = FunctionSpec(
    AUTHORIZER_KEY, None, TOKEN_CHECK, memory_mb=512, timeout_seconds=5
)

# Memo webhooks (not behind the API). The dispatcher lists a memo creator's webhooks and reads
# the instance's memo setting; the sender reads one webhook (URL and signing secret) and keeps
# the delivery ledger (a conditional update to claim, an update when delivered, a conditional
# delete to release). A send waits on a receiver for at most 20 s, ten at a time.
WEBHOOK_DISPATCHER: Final = FunctionSpec(
    "webhook_dispatcher",
    None,
    ("dynamodb:GetItem", "dynamodb:Query"),
    reads_signing_secret=False,
    timeout_seconds=60,
)
WEBHOOK_SENDER: Final = FunctionSpec(
    "webhook_sender",
    None,
    ("dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"),
    reads_signing_secret=False,
    timeout_seconds=60,
    # A slow or failing receiver ties up at most this many executions, never the API's share.
    reserved_concurrency=5,
)
WEBHOOK_FUNCTIONS: Final = (WEBHOOK_DISPATCHER, WEBHOOK_SENDER)

# The daily sweep of attachment objects no record refers to (not behind the API): it looks
# attachment records up by uid and reads where it stopped. Saving that position, listing the
# two prefixes and deleting objects are granted next to its schedule
# (:mod:`infra.blob_sweeper`), each with a condition this table cannot express. One run at a
# time: two would sweep the same pages.
BLOB_SWEEPER: Final = FunctionSpec(
    "blob_sweeper",
    None,
    ("dynamodb:GetItem", "dynamodb:BatchGetItem"),
    reads_signing_secret=False,
    timeout_seconds=300,
    reserved_concurrency=1,
)

# The functions API Gateway invokes (each with its own permission).
API_FUNCTIONS: Final = (*SERVICE_FUNCTIONS, AUTHORIZER_FUNCTION)
ALL_FUNCTIONS: Final = (*API_FUNCTIONS, *WEBHOOK_FUNCTIONS, BLOB_SWEEPER)


def function_for_service(service: str) -> FunctionSpec:
    """The row serving a proto service (``memos.api.v1.MemoService``)."""
    for spec in SERVICE_FUNCTIONS:
        if spec.service == service:
            return spec
    raise KeyError(f"no function serves {service}")


def function_by_key(key: str) -> FunctionSpec:
    for spec in ALL_FUNCTIONS:
        if spec.key == key:
            return spec
    raise KeyError(f"no function {key!r}")
