"""The one builder of DynamoDB keys: entity prefixes, sort keys and GSI keys.

Every repository builds keys through these functions, so the whole key scheme of the single
table is readable here (and described, with the access patterns, in ``docs/data-model.md``).
Numeric ids in sort keys are zero-padded so that string order equals numeric order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from msgspec import Struct

from memos.store.schema import GSI1, GSI2, PARTITION_KEY, SORT_KEY

if TYPE_CHECKING:
    from memos.store.schema import IndexSpec

ID_WIDTH = 10  # int32 ids have at most 10 digits

INSTANCE_PARTITION = "INSTANCE"
USERS_INDEX_PARTITION = "USERS"
USER_DIRECTORY_PARTITION = "USERDIR"
USER_STATS_INDEX_PARTITION = "USERSTATS"

USER_PROFILE_SORT = "PROFILE"
USER_SETTING_PREFIX = "SETTING#"
PAT_PREFIX = "PAT#"
SESSION_PREFIX = "SESSION#"
WEBHOOK_PREFIX = "WEBHOOK#"
INBOX_PREFIX = "INBOX#"
USER_STATS_PREFIX = "STATS#"
INSTANCE_SETTING_PREFIX = "SETTING#"


class ItemKey(Struct, frozen=True):
    """The primary key of one item of the table."""

    pk: str
    sk: str

    def attributes(self) -> dict[str, str]:
        return {PARTITION_KEY: self.pk, SORT_KEY: self.sk}


class IndexKey(Struct, frozen=True):
    """An item's key attributes in one global secondary index."""

    index: IndexSpec
    pk: str
    sk: str

    def attributes(self) -> dict[str, str]:
        return {self.index.partition_key: self.pk, self.index.sort_key: self.sk}


def padded(number: int) -> str:
    """A non-negative id as a fixed-width decimal string (string order = numeric order)."""
    if number < 0:
        raise ValueError(f"ids are non-negative, got {number}")
    return str(number).zfill(ID_WIDTH)


# Users -------------------------------------------------------------------------------------


def user_partition(user_id: int) -> str:
    """The partition holding a user's profile, settings, tokens, sessions, webhooks, inbox."""
    return f"USER#{user_id}"


def user_key(user_id: int) -> ItemKey:
    return ItemKey(user_partition(user_id), USER_PROFILE_SORT)


def user_deletion_key(user_id: int) -> ItemKey:
    """The marker of a deleted user whose partition is still being cleaned up."""
    return ItemKey(user_partition(user_id), "DELETING")


def users_index_key(user_id: int) -> IndexKey:
    """GSI1: every user under one partition, ordered by id (= creation order)."""
    return IndexKey(GSI1, USERS_INDEX_PARTITION, f"USER#{padded(user_id)}")


def users_by_role_partition(role: str) -> str:
    return f"USERS#ROLE#{role}"


def users_by_role_index_key(role: str, user_id: int) -> IndexKey:
    """GSI2: users of one role, ordered by id (the newest ADMIN for the instance profile)."""
    return IndexKey(GSI2, users_by_role_partition(role), f"USER#{padded(user_id)}")


def username_key(username: str) -> ItemKey:
    """The uniqueness guard of a username (exact, case-sensitive), holding the owner's id."""
    return ItemKey(f"USERNAME#{username}", "USERNAME")


def folded_username_key(folded: str) -> ItemKey:
    """The look-alike guard: one per folded username (see ``memos.domain.user_validation``),
    holding the owner's id, so two usernames that fold alike can't both exist."""
    return ItemKey(f"USERNAME_FOLD#{folded}", "USERNAME_FOLD")


def user_count_key() -> ItemKey:
    """How many users exist; the first user's transaction claims it from zero."""
    return ItemKey(INSTANCE_PARTITION, "USER_COUNT")


def user_directory_key(block: int) -> ItemKey:
    """One block of the user directory (the searchable names of a run of user ids)."""
    return ItemKey(USER_DIRECTORY_PARTITION, f"BLOCK#{padded(block)}")


# User-owned items --------------------------------------------------------------------------


def user_setting_key(user_id: int, key: str) -> ItemKey:
    return ItemKey(user_partition(user_id), f"{USER_SETTING_PREFIX}{key}")


def pat_key(user_id: int, token_id: str) -> ItemKey:
    return ItemKey(user_partition(user_id), f"{PAT_PREFIX}{token_id}")


def pat_hash_key(token_hash: str) -> ItemKey:
    """The authentication lookup of a personal access token by its SHA-256 hex digest."""
    return ItemKey(f"PATHASH#{token_hash}", "PAT")


def session_key(user_id: int, session_id: str) -> ItemKey:
    return ItemKey(user_partition(user_id), f"{SESSION_PREFIX}{session_id}")


def webhook_key(user_id: int, webhook_id: str) -> ItemKey:
    return ItemKey(user_partition(user_id), f"{WEBHOOK_PREFIX}{webhook_id}")


def webhook_delivery_key(delivery_id: str) -> ItemKey:
    """The marker of one webhook delivery (``memos.webhooks.ledger``), removed by TTL."""
    return ItemKey(f"WEBHOOK_DELIVERY#{delivery_id}", "DELIVERY")


def inbox_key(receiver_id: int, inbox_id: int) -> ItemKey:
    return ItemKey(user_partition(receiver_id), f"{INBOX_PREFIX}{padded(inbox_id)}")


def inbox_by_id_index_key(inbox_id: int) -> IndexKey:
    """GSI2: a notification found by its id alone (names carry an unchecked user segment)."""
    return IndexKey(GSI2, f"INBOX#{inbox_id}", "INBOX")


def user_stats_key(user_id: int, visibility: str) -> ItemKey:
    return ItemKey(user_partition(user_id), f"{USER_STATS_PREFIX}{visibility}")


def user_stats_index_key(user_id: int, visibility: str) -> IndexKey:
    """GSI1: every user's stats items under one partition (ListAllUserStats)."""
    return IndexKey(GSI1, USER_STATS_INDEX_PARTITION, f"USER#{padded(user_id)}#{visibility}")


# Instance ----------------------------------------------------------------------------------


def instance_setting_key(key: str) -> ItemKey:
    return ItemKey(INSTANCE_PARTITION, f"{INSTANCE_SETTING_PREFIX}{key}")


def counter_key(name: str) -> ItemKey:
    return ItemKey(f"COUNTER#{name}", "COUNTER")


# Memos -------------------------------------------------------------------------------------
#
# A memo lives in its own partition ``MEMO#<uid>``: the memo item (``MEMO``), its extras item
# (``EXTRAS``: reactions, relations and attachment links, read for a whole page in one
# BatchGetItem) and its listing copies (``LIST#...``). A listing copy is the memo item under
# another GSI partition, so every list the web app asks for (a creator's memos, the public and
# protected feeds, a tag, the pinned memos) is one ordered index partition. GSI1 orders a listing
# by creation time, GSI2 by update time; both sort keys end in the zero-padded id (tie-break).

MEMO_SORT = "MEMO"
MEMO_EXTRAS_SORT = "EXTRAS"
LISTING_PREFIX = "LIST#"
# Times are epoch seconds from year 1 to 9999; shifted by this offset they are never negative
# and fit 12 digits, so string order is time order.
TIME_OFFSET = 62_135_596_800
TIME_WIDTH = 12


def memo_partition(uid: str) -> str:
    return f"MEMO#{uid}"


def memo_key(uid: str) -> ItemKey:
    return ItemKey(memo_partition(uid), MEMO_SORT)


def memo_extras_key(uid: str) -> ItemKey:
    return ItemKey(memo_partition(uid), MEMO_EXTRAS_SORT)


def memo_listing_key(uid: str, listing: str) -> ItemKey:
    return ItemKey(memo_partition(uid), f"{LISTING_PREFIX}{listing}")


def sortable_time(epoch_seconds: int) -> str:
    return str(epoch_seconds + TIME_OFFSET).zfill(TIME_WIDTH)


def time_order_key(epoch_seconds: int, memo_id: int) -> str:
    """A listing sort key: the time, then the id (string order = (time, id) order)."""
    return f"{sortable_time(epoch_seconds)}#{padded(memo_id)}"


def creator_listing(creator_id: int, state: str) -> str:
    """Every top-level memo of one creator in one state."""
    return f"MEMOS#CREATOR#{creator_id}#{state}"


def feed_listing(visibility: str, state: str) -> str:
    """Every top-level memo of one visibility (PUBLIC or PROTECTED) in one state."""
    return f"MEMOS#FEED#{visibility}#{state}"


def creator_tag_listing(creator_id: int, state: str, tag_path: str) -> str:
    """One creator's memos with the tag ``tag_path`` or a tag below it."""
    return f"MEMOS#CTAG#{creator_id}#{state}#{tag_path}"


def feed_tag_listing(visibility: str, state: str, tag_path: str) -> str:
    return f"MEMOS#FTAG#{visibility}#{state}#{tag_path}"


def creator_pinned_listing(creator_id: int, state: str) -> str:
    return f"MEMOS#CPIN#{creator_id}#{state}"


def feed_pinned_listing(visibility: str, state: str) -> str:
    return f"MEMOS#FPIN#{visibility}#{state}"


def reaction_key(reaction_id: int) -> ItemKey:
    """A reaction by its id alone (DeleteMemoReaction names only the id that counts)."""
    return ItemKey(f"REACTION#{reaction_id}", "REACTION")


# Attachments, activities, shortcuts ---------------------------------------------------------


def attachment_key(uid: str) -> ItemKey:
    return ItemKey(f"ATTACHMENT#{uid}", "ATTACHMENT")


def creator_attachments_index_key(creator_id: int, updated_ts: int, attachment_id: int) -> IndexKey:
    """GSI1: a creator's attachments, newest update first."""
    return IndexKey(
        GSI1, f"ATTACHMENTS#CREATOR#{creator_id}", time_order_key(updated_ts, attachment_id)
    )


def activity_key(activity_id: int) -> ItemKey:
    return ItemKey(f"ACTIVITY#{activity_id}", "ACTIVITY")


ACTIVITIES_INDEX_PARTITION = "ACTIVITIES"


def activities_index_key(activity_id: int) -> IndexKey:
    """GSI1: every activity under one partition, by id (= creation order)."""
    return IndexKey(GSI1, ACTIVITIES_INDEX_PARTITION, padded(activity_id))


SHORTCUT_PREFIX = "SHORTCUT#"


def shortcut_key(user_id: int, shortcut_id: str) -> ItemKey:
    return ItemKey(user_partition(user_id), f"{SHORTCUT_PREFIX}{shortcut_id}")


# Identity providers ---------------------------------------------------------------------------

IDPS_INDEX_PARTITION = "IDPS"


def identity_provider_key(idp_id: int) -> ItemKey:
    return ItemKey(f"IDP#{idp_id}", "IDP")


def identity_providers_index_key(idp_id: int) -> IndexKey:
    """GSI1: every identity provider under one partition, by id (the order Memos lists them)."""
    return IndexKey(GSI1, IDPS_INDEX_PARTITION, padded(idp_id))


# Sign-in throttling --------------------------------------------------------------------------


def sign_in_attempts_key(scope: str, subject: str) -> ItemKey:
    """The failed password sign-ins of one subject in one scope (``PAIR``, ``USER``, ``ADDR``);
    ``subject`` is already length-bounded (``memos.store.sign_in_attempts``)."""
    return ItemKey(f"SIGNIN#{scope}#{subject}", "ATTEMPTS")


# Maintenance -----------------------------------------------------------------------------------


def blob_sweep_key() -> ItemKey:
    """Where the sweep of unreferenced attachment objects stopped (``functions/blob_sweeper``)."""
    return ItemKey("SWEEP#BLOBS", "CURSOR")
