"""The service table: one row per Lambda, with exactly the data access it is granted.

Each row names the proto service it serves (its routes come from the descriptors), the folder
under ``functions/`` holding its handler, and its least-privilege grants: the DynamoDB actions it
may call on the table, the indexes it may query, the S3 actions it may take under the attachment
prefix, and whether it reads the JWT signing secret. Actions are written out; none is a wildcard,
and ``dynamodb:Scan`` is never granted (no request path scans).

Every service function verifies bearer tokens itself when a route carries no authorizer (public
methods with optional auth), so each reads the signing secret, may ``GetItem`` (personal access
tokens are looked up by hash) and ``UpdateItem`` (a token's last-used time is recorded).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from infra.names import AUTHORIZER_KEY
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

BLOB_READ_WRITE_DELETE: Final = ("s3:GetObject", "s3:PutObject", "s3:DeleteObject")
BLOB_DELETE: Final = ("s3:DeleteObject",)

# Lambda gives CPU in proportion to memory, one full vCPU at 1,769 MB. A bcrypt hash or check at
# cost 10 is about 70 ms of one core, so it takes ~240 ms at 512 MB and ~120 ms at 1,024 MB; the
# GB-seconds of that CPU-bound part are the same at any size up to one vCPU (bcrypt uses one
# thread). See docs/decisions.md, "Memory sizes follow the CPU a function needs".
ONE_VCPU_MB: Final = 1769


@dataclass(frozen=True, slots=True)
class FunctionSpec:
    """One Lambda: what it serves and what it may touch."""

    key: str  # folder under functions/, e.g. "memo"; also the construct id's stem
    service: str | None  # "memos.api.v1.MemoService"; None for the authorizer
    table_actions: tuple[str, ...]
    indexes: tuple[str, ...] = ()  # GSI names it queries
    blob_actions: tuple[str, ...] = ()  # on attachment objects only
    reads_signing_secret: bool = True
    memory_mb: int = 512
    timeout_seconds: int = 15

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
        blob_actions=BLOB_DELETE,  # deleting a memo deletes its attachments' blobs
    ),
    FunctionSpec(
        "attachment",
        "memos.api.v1.AttachmentService",
        TABLE_READ_WRITE,
        indexes=(GSI1.name, GSI2.name),
        blob_actions=BLOB_READ_WRITE_DELETE,
        memory_mb=1024,  # uploads of up to 30 MiB are decoded in memory
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

ALL_FUNCTIONS: Final = (*SERVICE_FUNCTIONS, AUTHORIZER_FUNCTION)


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
