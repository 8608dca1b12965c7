"""DynamoDB and S3 persistence; never sees protobuf or HTTP."""

# Importing this package stays cheap and free of boto3 (the infrastructure imports
# ``memos.store.schema``): the repositories are imported when stores are first built.

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from memos.config import get_settings

if TYPE_CHECKING:
    from memos.config import Settings
    from memos.store.access_tokens import AccessTokenStore
    from memos.store.activities import ActivityStore
    from memos.store.attachments import AttachmentStore
    from memos.store.blobs import BlobStore
    from memos.store.counters import CounterStore
    from memos.store.identity_providers import IdentityProviderStore
    from memos.store.instance_settings import InstanceSettingStore
    from memos.store.memo_extras import MemoExtrasStore
    from memos.store.memo_listing import MemoLister
    from memos.store.memos import MemoStore
    from memos.store.notifications import NotificationStore
    from memos.store.sessions import SessionStore
    from memos.store.shortcuts import ShortcutStore
    from memos.store.table import DynamoTable
    from memos.store.user_settings import UserSettingStore
    from memos.store.user_stats import UserStatsStore
    from memos.store.users import UserStore
    from memos.store.webhooks import WebhookStore

__all__ = ["Stores", "stores_for_table", "stores_from_environment", "stores_from_settings"]


@dataclass(frozen=True, slots=True)
class Stores:
    """Every repository, sharing one table and one client; services take what they need."""

    table: DynamoTable
    counters: CounterStore
    users: UserStore
    user_settings: UserSettingStore
    access_tokens: AccessTokenStore
    sessions: SessionStore
    webhooks: WebhookStore
    notifications: NotificationStore
    instance_settings: InstanceSettingStore
    user_stats: UserStatsStore
    shortcuts: ShortcutStore
    activities: ActivityStore
    memos: MemoStore
    memo_extras: MemoExtrasStore
    memo_lister: MemoLister
    attachments: AttachmentStore
    identity_providers: IdentityProviderStore
    blobs: BlobStore  # the attachment bucket


def stores_from_settings(settings: Settings) -> Stores:
    """Repositories over the configured table (the client comes from the cached factory)."""
    # Deferred imports: see the module comment.
    from memos.store.blobs import BlobStore  # noqa: PLC0415
    from memos.store.clients import dynamodb_client_for, s3_client  # noqa: PLC0415
    from memos.store.table import DynamoTable  # noqa: PLC0415

    def bucket_client() -> Any:
        return s3_client(settings.aws_region, settings.s3_endpoint)

    return stores_for_table(
        DynamoTable(dynamodb_client_for(settings), settings.table_name),
        BlobStore(bucket_client, settings.bucket_name),
    )


def stores_for_table(table: DynamoTable, blobs: BlobStore | None = None) -> Stores:
    """Repositories over one table (real, emulated or in memory) and, when given, a bucket.

    Without ``blobs`` every S3 call fails with :class:`NoBucketError` (the in-memory stores of
    rule tests have no bucket).
    """
    # Deferred imports: see the module comment.
    from memos.store.access_tokens import AccessTokenStore  # noqa: PLC0415
    from memos.store.activities import ActivityStore  # noqa: PLC0415
    from memos.store.attachments import AttachmentStore  # noqa: PLC0415
    from memos.store.blobs import BlobStore  # noqa: PLC0415
    from memos.store.counters import CounterStore  # noqa: PLC0415
    from memos.store.identity_providers import IdentityProviderStore  # noqa: PLC0415
    from memos.store.instance_settings import InstanceSettingStore  # noqa: PLC0415
    from memos.store.memo_extras import MemoExtrasStore  # noqa: PLC0415
    from memos.store.memo_listing import MemoLister  # noqa: PLC0415
    from memos.store.memos import MemoStore  # noqa: PLC0415
    from memos.store.notifications import NotificationStore  # noqa: PLC0415
    from memos.store.sessions import SessionStore  # noqa: PLC0415
    from memos.store.shortcuts import ShortcutStore  # noqa: PLC0415
    from memos.store.user_settings import UserSettingStore  # noqa: PLC0415
    from memos.store.user_stats import UserStatsStore  # noqa: PLC0415
    from memos.store.users import UserStore  # noqa: PLC0415
    from memos.store.webhooks import WebhookStore  # noqa: PLC0415

    counters = CounterStore(table)
    return Stores(
        table=table,
        counters=counters,
        users=UserStore(table, counters),
        user_settings=UserSettingStore(table),
        access_tokens=AccessTokenStore(table),
        sessions=SessionStore(table),
        webhooks=WebhookStore(table),
        notifications=NotificationStore(table, counters),
        instance_settings=InstanceSettingStore(table),
        user_stats=UserStatsStore(table),
        shortcuts=ShortcutStore(table),
        activities=ActivityStore(table, counters),
        memos=MemoStore(table, counters),
        memo_extras=MemoExtrasStore(table),
        memo_lister=MemoLister(table),
        attachments=AttachmentStore(table, counters),
        identity_providers=IdentityProviderStore(table, counters),
        blobs=blobs or BlobStore(_no_bucket, ""),
    )


class NoBucketError(RuntimeError):
    """These stores were built without an attachment bucket."""


def _no_bucket() -> Any:
    raise NoBucketError("these stores have no attachment bucket")


@cache
def stores_from_environment() -> Stores:
    """The process-wide stores, built from the environment on first use."""
    return stores_from_settings(get_settings())
