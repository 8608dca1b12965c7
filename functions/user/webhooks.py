"""User webhooks: creating and changing them with a safe URL (``memos.domain.webhook_urls``)."""

from __future__ import annotations

import re
import secrets
from typing import TYPE_CHECKING, Final

from memos.domain.webhook_urls import check_webhook_url, resolve_host
from memos.errors import InvalidArgumentError, NotFoundError, ResourceExhaustedError
from memos.webhooks.signing import new_signing_secret

if TYPE_CHECKING:
    from collections.abc import Sequence

    from memos.domain.webhook_urls import Resolver
    from memos.store.webhooks import Webhook, WebhookStore

WEBHOOK_NOT_FOUND: Final = "webhook not found"
MAX_TITLE_LENGTH: Final = 256
# Memos sets no limit; every memo change is sent to each of its creator's webhooks, so
# thousands of them aimed at one site would make each change a flood from our functions.
MAX_WEBHOOKS_PER_USER: Final = 20
TOO_MANY_WEBHOOKS: Final = f"a user may have at most {MAX_WEBHOOKS_PER_USER} webhooks"
# The update-mask path that rotates a webhook's signing secret (not in Memos).
SIGNING_SECRET_PATH: Final = "signing_secret"  # noqa: S105 - a field name
# Ids this service issues are 16 hex digits; anything unlike an id names no webhook.
_PLAUSIBLE_ID: Final = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def new_webhook_id() -> str:
    """16 lower-case hex characters (8 random bytes), as Memos makes them."""
    return secrets.token_hex(8)


def create_webhook(
    store: WebhookStore,
    user_id: int,
    *,
    title: str,
    url: str,
    resolve: Resolver = resolve_host,
    allow_loopback: bool = False,
) -> Webhook:
    """A new webhook with its own signing secret (returned once, by CreateUserWebhook); a user
    may have at most :data:`MAX_WEBHOOKS_PER_USER` (RESOURCE_EXHAUSTED beyond)."""
    safe_url = check_webhook_url(url, resolve, allow_loopback=allow_loopback)
    if len(store.list_for_user(user_id)) >= MAX_WEBHOOKS_PER_USER:
        raise ResourceExhaustedError(TOO_MANY_WEBHOOKS)
    return store.create(
        user_id,
        webhook_id=new_webhook_id(),
        title=_title(title),
        url=safe_url,
        signing_secret=new_signing_secret(),
    )


def update_webhook(
    store: WebhookStore,
    user_id: int,
    webhook_id: str,
    *,
    title: str,
    url: str,
    paths: Sequence[str],
    resolve: Resolver = resolve_host,
    allow_loopback: bool = False,
) -> Webhook:
    """With a mask: ``url`` (only when non-empty) and ``display_name``; other paths ignored.
    Without one: the URL when non-empty, and the title always (Memos' rules). Beyond Memos, the
    path ``signing_secret`` replaces the signing secret with a new one."""
    get_webhook(store, user_id, webhook_id)
    if paths:
        new_url = url if "url" in paths and url else None
        new_title = title if "display_name" in paths else None
    else:
        new_url = url or None
        new_title = title
    safe_url = (
        check_webhook_url(new_url, resolve, allow_loopback=allow_loopback)
        if new_url is not None
        else None
    )
    return store.update(
        user_id,
        webhook_id,
        title=_title(new_title) if new_title is not None else None,
        url=safe_url,
        signing_secret=new_signing_secret() if SIGNING_SECRET_PATH in paths else None,
    )


def get_webhook(store: WebhookStore, user_id: int, webhook_id: str) -> Webhook:
    webhook = store.get(user_id, webhook_id) if _PLAUSIBLE_ID.match(webhook_id) else None
    if webhook is None:
        raise NotFoundError(WEBHOOK_NOT_FOUND)
    return webhook


def delete_webhook(store: WebhookStore, user_id: int, webhook_id: str) -> None:
    if not (_PLAUSIBLE_ID.match(webhook_id) and store.delete(user_id, webhook_id)):
        raise NotFoundError(WEBHOOK_NOT_FOUND)


def _title(title: str) -> str:
    if len(title) > MAX_TITLE_LENGTH:
        raise InvalidArgumentError(f"webhook title is too long (max {MAX_TITLE_LENGTH})")
    return title
