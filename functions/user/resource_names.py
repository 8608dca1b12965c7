"""Names of what only UserService serves under a user: ``users/{id}/<collection>/{child}``.

Collections other services share (memos, webhooks, shortcuts, ...) are in :mod:`memos.names`.
"""

from __future__ import annotations

from typing import Final

from memos import names

SETTINGS: Final = "settings"
PERSONAL_ACCESS_TOKENS: Final = "personalAccessTokens"
NOTIFICATIONS: Final = "notifications"
STATS: Final = "stats"


def setting_name(user_id: int, key: str) -> str:
    return names.child_name(user_id, SETTINGS, key)


def access_token_name(user_id: int, token_id: str) -> str:
    return names.child_name(user_id, PERSONAL_ACCESS_TOKENS, token_id)


def notification_name(receiver_id: int, inbox_id: int) -> str:
    return names.child_name(receiver_id, NOTIFICATIONS, inbox_id)


def stats_name(user_id: int) -> str:
    return f"{names.user_name(user_id)}/{STATS}"


def pinned_memo_name(user_id: int, memo_id: int) -> str:
    """How UserStats names a pinned memo: ``users/{id}/memos/{memo id}``, as Memos does."""
    return names.child_name(user_id, names.MEMOS, memo_id)
