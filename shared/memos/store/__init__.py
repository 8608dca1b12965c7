"""DynamoDB and S3 persistence; never sees protobuf or HTTP."""

# Importing this package stays cheap and free of boto3 (the infrastructure imports
# ``memos.store.schema``). Each repository's module is imported, and the repository built, the
# first time a function asks ``Stores`` for it: a function uses a few of them, and importing
# all of them was a measurable part of every cold start (docs/decisions.md).

from __future__ import annotations

from functools import cache, cached_property
from typing import TYPE_CHECKING, Any

from msgspec import Struct
from msgspec.structs import replace

from memos.config import get_settings

if TYPE_CHECKING:
    from collections.abc import Callable

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

# The repositories below import their modules when first asked for (see the module comment).
# ruff: noqa: PLC0415


class Stores(Struct, frozen=True, dict=True):
    """Every repository, sharing one table and one client; services take what they need.

    A repository is built on first access and the same one returned afterwards, and so is the
    attachment bucket's store (``make_blobs`` builds it). ``msgspec.structs.replace`` gives stores
    over the same table whose repositories are built anew; :meth:`with_blobs` over another bucket.
    """

    table: DynamoTable
    make_blobs: Callable[[], BlobStore]

    def with_blobs(self, blobs: BlobStore) -> Stores:
        """Stores over the same table and the given bucket store."""
        return replace(self, make_blobs=lambda: blobs)

    @cached_property
    def blobs(self) -> BlobStore:
        """The attachment bucket."""
        return self.make_blobs()

    @cached_property
    def counters(self) -> CounterStore:
        from memos.store.counters import CounterStore

        return CounterStore(self.table)

    @cached_property
    def users(self) -> UserStore:
        from memos.store.users import UserStore

        return UserStore(self.table, self.counters)

    @cached_property
    def user_settings(self) -> UserSettingStore:
        from memos.store.user_settings import UserSettingStore

        return UserSettingStore(self.table)

    @cached_property
    def access_tokens(self) -> AccessTokenStore:
        from memos.store.access_tokens import AccessTokenStore

        return AccessTokenStore(self.table)

    @cached_property
    def sessions(self) -> SessionStore:
        from memos.store.sessions import SessionStore

        return SessionStore(self.table)

    @cached_property
    def webhooks(self) -> WebhookStore:
        from memos.store.webhooks import WebhookStore

        return WebhookStore(self.table)

    @cached_property
    def notifications(self) -> NotificationStore:
        from memos.store.notifications import NotificationStore

        return NotificationStore(self.table, self.counters)

    @cached_property
    def instance_settings(self) -> InstanceSettingStore:
        from memos.store.instance_settings import InstanceSettingStore

        return InstanceSettingStore(self.table)

    @cached_property
    def user_stats(self) -> UserStatsStore:
        from memos.store.user_stats import UserStatsStore

        return UserStatsStore(self.table)

    @cached_property
    def shortcuts(self) -> ShortcutStore:
        from memos.store.shortcuts import ShortcutStore

        return ShortcutStore(self.table)

    @cached_property
    def activities(self) -> ActivityStore:
        from memos.store.activities import ActivityStore

        return ActivityStore(self.table, self.counters)

    @cached_property
    def memos(self) -> MemoStore:
        from memos.store.memos import MemoStore

        return MemoStore(self.table, self.counters)

    @cached_property
    def memo_extras(self) -> MemoExtrasStore:
        from memos.store.memo_extras import MemoExtrasStore

        return MemoExtrasStore(self.table)

    @cached_property
    def memo_lister(self) -> MemoLister:
        from memos.store.memo_listing import MemoLister

        return MemoLister(self.table)

    @cached_property
    def attachments(self) -> AttachmentStore:
        from memos.store.attachments import AttachmentStore

        return AttachmentStore(self.table, self.counters)

    @cached_property
    def identity_providers(self) -> IdentityProviderStore:
        from memos.store.identity_providers import IdentityProviderStore

        return IdentityProviderStore(self.table, self.counters)


def stores_from_settings(settings: Settings) -> Stores:
    """Repositories over the configured table (the client comes from the cached factory)."""
    from memos.store.clients import dynamodb_client_for
    from memos.store.table import DynamoTable

    def bucket_store() -> BlobStore:
        from memos.store.blobs import BlobStore
        from memos.store.clients import s3_client

        return BlobStore(
            lambda: s3_client(settings.aws_region, settings.s3_endpoint), settings.bucket_name
        )

    return Stores(DynamoTable(dynamodb_client_for(settings), settings.table_name), bucket_store)


def stores_for_table(table: DynamoTable, blobs: BlobStore | None = None) -> Stores:
    """Repositories over one table (real, emulated or in memory) and, when given, a bucket.

    Without ``blobs`` every S3 call fails with :class:`NoBucketError` (the in-memory stores of
    rule tests have no bucket).
    """
    stores = Stores(table, _bucketless_store)
    return stores if blobs is None else stores.with_blobs(blobs)


def _bucketless_store() -> BlobStore:
    from memos.store.blobs import BlobStore

    return BlobStore(_no_bucket, "")


class NoBucketError(RuntimeError):
    """These stores were built without an attachment bucket."""


def _no_bucket() -> Any:
    raise NoBucketError("these stores have no attachment bucket")


@cache
def stores_from_environment() -> Stores:
    """The process-wide stores, built from the environment on first use."""
    return stores_from_settings(get_settings())
