"""Users: profile items, username uniqueness guards and the race-safe first-user claim.

Items (see ``docs/data-model.md``):

- ``USER#<id>`` / ``PROFILE``: the user; GSI1 ``USERS`` / ``USER#<padded id>`` lists every user,
  GSI2 ``USERS#ROLE#<role>`` / ``USER#<padded id>`` lists the users of one role.
- ``USERNAME#<username>`` / ``USERNAME``: holds ``user_id``; written in the same transaction as the
  user with ``attribute_not_exists``, so of two concurrent creates for one username one fails.
- ``USERNAME_FOLD#<folded>`` / ``USERNAME_FOLD``: the look-alike guard, by the folded username
  (NFKC + case fold, ``fold_username``), holding ``user_id``; written, moved and deleted with the
  exact guard in the same transactions, so ``Alice`` can't exist next to ``alice``. Users stored
  before it existed get theirs from ``backfill_folded_guards`` or their next rename.
- ``INSTANCE`` / ``USER_COUNT``: the number of users; the first user's transaction requires it
  to be zero, so of two concurrent "first" sign-ups exactly one succeeds as first.
- ``USERDIR`` / ``BLOCK#<padded n>``: the user directory, what SearchUsers reads instead of the
  profiles. Block ``n`` holds one small entry per user with an id in
  ``[n * DIRECTORY_BLOCK_SIZE, (n + 1) * DIRECTORY_BLOCK_SIZE)``: attribute ``u<id>`` =
  ``{username, display_name, state}``. Every write here that creates or deletes a user, or
  changes one of those three fields, changes the entry in the same transaction, so whatever
  creates users through this store (sign-up, SSO, import) keeps the directory whole.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from msgspec import Struct
from msgspec.structs import fields, replace

from memos.domain.enums import Role as Role  # noqa: PLC0414 - re-exported
from memos.domain.enums import State
from memos.domain.user_validation import could_be_username, fold_username
from memos.errors import AlreadyExistsError, FailedPreconditionError, InternalError, NotFoundError
from memos.records import repr_without
from memos.store import keys
from memos.store.access_tokens import TOKEN_HASH_ATTRIBUTE
from memos.store.clock import epoch_seconds
from memos.store.paging import Page, checked_cursor
from memos.store.schema import GSI1, GSI2, PARTITION_KEY, SORT_KEY
from memos.store.table import (
    ConditionFailedError,
    Expression,
    TransactionCancelledError,
    attribute_equals,
    both,
    item_exists,
    set_fields,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

    from memos.store.clock import Clock
    from memos.store.codec import Item
    from memos.store.counters import CounterStore
    from memos.store.keys import ItemKey
    from memos.store.table import DynamoTable

USER_COUNTER = "users"
USER_NOT_FOUND = "user not found"
SYSTEM_BOT_ID = 0
_ATTEMPTS = 3

# Users per directory block. An entry takes at most ~1.1 KB (a 32-character username and a
# display name cut to 256 characters, 4 bytes each at worst), so a full block stays near 285 KB,
# inside DynamoDB's 400 KB item limit.
DIRECTORY_BLOCK_SIZE: Final = 256
DIRECTORY_NAME_LIMIT: Final = 256
_DIRECTORY_ENTITY: Final = "USER_DIRECTORY"
_ENTRY_PREFIX: Final = "u"


class User(Struct, frozen=True):
    """A stored user. ``state`` is empty only for the built-in system bot."""

    id: int
    username: str
    role: str
    state: str
    email: str = ""
    display_name: str = ""
    avatar_url: str = ""
    description: str = ""
    password_hash: str = ""
    created_at: int = 0
    updated_at: int = 0

    def __repr__(self) -> str:
        return repr_without(self, "password_hash")


SYSTEM_BOT = User(
    id=SYSTEM_BOT_ID, username="system_bot", role=Role.ADMIN, state="", display_name="Bot"
)


class NewUser(Struct, frozen=True):
    username: str
    role: str = Role.USER
    email: str = ""
    display_name: str = ""
    password_hash: str = ""
    avatar_url: str = ""
    description: str = ""
    state: str = State.NORMAL


class UserChanges(Struct, frozen=True):
    """Fields to change; ``None`` leaves a field as it is. ``updated_at`` defaults to now."""

    username: str | None = None
    role: str | None = None
    state: str | None = None
    email: str | None = None
    display_name: str | None = None
    avatar_url: str | None = None
    description: str | None = None
    password_hash: str | None = None
    created_at: int | None = None
    updated_at: int | None = None

    def values(self) -> dict[str, Any]:
        return {
            item.name: getattr(self, item.name)
            for item in fields(self)
            if getattr(self, item.name) is not None
        }


class DirectoryEntry(Struct, frozen=True):
    """What the user directory keeps of a user: enough to match a search without the profile."""

    id: int
    username: str
    display_name: str
    state: str


class DirectoryRead(Struct, frozen=True):
    """Directory entries, newest user first, and how many directory items were read for them."""

    entries: tuple[DirectoryEntry, ...]
    items_read: int


class GuardBackfill(Struct, frozen=True):
    """What :meth:`UserStore.backfill_folded_guards` put (or would put): how many guards, and
    the users left without one because a look-alike holds it."""

    added: int
    blocked: tuple[User, ...]


class FirstUserTakenError(FailedPreconditionError):
    """A create meant for an empty instance lost: another user exists now. Re-decide and retry."""

    def __init__(self) -> None:
        super().__init__("the instance already has a user")


class UserStore:
    def __init__(
        self, table: DynamoTable, counters: CounterStore, clock: Clock = epoch_seconds
    ) -> None:
        self._table = table
        self._counters = counters
        self._clock = clock

    # First user --------------------------------------------------------------------------

    def count(self) -> int:
        """How many users exist (archived ones included); one strongly consistent GetItem."""
        item = self._table.get(keys.user_count_key())
        return int(item.get("user_count", 0)) if item else 0

    def has_users(self) -> bool:
        return self.count() > 0

    # Writes ------------------------------------------------------------------------------

    def create(self, new: NewUser, *, first_user: bool = False) -> User:
        """Insert a user with a fresh id.

        ``first_user=True`` means the caller decided on the assumption that no user exists
        (e.g. to make this one ADMIN): the write then also requires the user count to be zero
        and raises :class:`FirstUserTakenError` otherwise, so only one such create can win.
        A taken username raises ``AlreadyExistsError("username is already taken: <name>")``.
        """
        now = self._clock()
        user = User(
            id=self._counters.next_id(USER_COUNTER),
            username=new.username,
            role=new.role,
            state=new.state,
            email=new.email,
            display_name=new.display_name,
            avatar_url=new.avatar_url,
            description=new.description,
            password_hash=new.password_hash,
            created_at=now,
            updated_at=now,
        )
        if first_user:
            count = Expression("SET #count = :one", {"#count": "user_count"}, {":one": 1})
            claim = Expression(
                "attribute_not_exists(#count) OR #count = :zero",
                {"#count": "user_count"},
                {":zero": 0},
            )
        else:
            count = Expression("ADD #count :one", {"#count": "user_count"}, {":one": 1})
            claim = None
        operations = [
            self._table.put_new_op(_user_item(user)),
            self._table.put_new_op(_guard_item(user.username, user.id)),
            self._table.update_op(keys.user_count_key(), count, condition=claim),
            self._directory_entry_op(user),
            self._table.put_new_op(_folded_guard_item(user.username, user.id)),
        ]
        try:
            self._table.transact(operations)
        except TransactionCancelledError as error:
            if error.failed(2):
                raise FirstUserTakenError from error
            if error.failed(1) or error.failed(4):
                raise _username_taken(user.username) from error
            raise
        return user

    def create_imported(self, user: User) -> None:
        """Store a user brought from another instance with its own id and times: the items
        :meth:`create` writes, then the id counter raised past the id. A taken id is
        ``AlreadyExistsError("user id is already taken: <id>")``, a taken username (exact or
        look-alike) ``AlreadyExistsError("username is already taken: <name>")``."""
        operations = [
            self._table.put_new_op(_user_item(user)),
            self._table.put_new_op(_guard_item(user.username, user.id)),
            self._table.update_op(
                keys.user_count_key(),
                Expression("ADD #count :one", {"#count": "user_count"}, {":one": 1}),
            ),
            self._directory_entry_op(user),
            self._table.put_new_op(_folded_guard_item(user.username, user.id)),
        ]
        try:
            self._table.transact(operations)
        except TransactionCancelledError as error:
            if error.failed(0):
                raise AlreadyExistsError(f"user id is already taken: {user.id}") from error
            if error.failed(1) or error.failed(4):
                raise _username_taken(user.username) from error
            raise
        self._counters.raise_to(USER_COUNTER, user.id)

    def update(self, user_id: int, changes: UserChanges) -> User:
        """Apply ``changes``.

        A change of what the directory keeps (username, display name, state) is one transaction
        with the directory entry, on condition that those fields are still as read, so two
        concurrent updates can't leave the entry behind the profile; a username change also
        moves both guards in it (the folded one only when the folded form changes).
        """
        for _ in range(_ATTEMPTS):
            current = self.get(user_id)
            if current is None or user_id == SYSTEM_BOT_ID:
                raise NotFoundError(USER_NOT_FOUND)
            values = changes.values()
            values.setdefault("updated_at", self._clock())
            updated = replace(current, **values)
            attributes = {name: value for name, value in values.items()}
            if updated.role != current.role:
                attributes.update(keys.users_by_role_index_key(updated.role, user_id).attributes())
            if _directory_entry(updated) == _directory_entry(current):
                try:
                    item = self._table.update(
                        keys.user_key(user_id), set_fields(attributes), condition=item_exists()
                    )
                except ConditionFailedError as error:
                    raise NotFoundError(USER_NOT_FOUND) from error
                return _user_from_item(item)
            renamed = updated.username != current.username
            operations = [
                self._table.update_op(
                    keys.user_key(user_id),
                    set_fields(attributes),
                    condition=both(item_exists(), _listed_as(current)),
                ),
                self._directory_entry_op(updated),
            ]
            if renamed:
                operations += self._rename_guard_ops(current.username, updated.username, user_id)
            try:
                self._table.transact(operations)
            except TransactionCancelledError as error:
                if renamed and (error.failed(3) or error.failed(4)):
                    raise _username_taken(updated.username) from error
                if error.failed(0) or (renamed and (error.failed(2) or error.failed(5))):
                    continue  # changed, renamed or deleted meanwhile: look again
                raise
            return updated
        raise InternalError("user changed concurrently; try again")

    def _rename_guard_ops(self, old: str, new: str, user_id: int) -> list[TransactWriteItemTypeDef]:
        """Operations 2-5 of a rename: drop the old exact guard, claim the new one, claim the new
        folded guard, and drop the old folded guard if this user holds it.

        A case-only rename keeps its folded form: its guard is claimed again (absent, as for a
        user stored before folded guards existed, or already this user's) and nothing is dropped.
        """
        operations = [
            self._table.delete_op(
                keys.username_key(old), condition=attribute_equals("user_id", user_id)
            ),
            self._table.put_new_op(_guard_item(new, user_id)),
        ]
        if fold_username(new) == fold_username(old):
            operations.append(
                self._table.put_op(_folded_guard_item(new, user_id), condition=_absent_or(user_id))
            )
            return operations
        operations.append(self._table.put_new_op(_folded_guard_item(new, user_id)))
        operations += self._release_folded_guard_ops(old, user_id)
        return operations

    def _release_folded_guard_ops(
        self, username: str, user_id: int
    ) -> list[TransactWriteItemTypeDef]:
        """Delete the folded guard of ``username`` if ``user_id`` holds it (one GetItem to know):
        a user stored before folded guards existed may have none, or share it with a look-alike
        stored back then, which keeps it."""
        key = keys.folded_username_key(fold_username(username))
        guard = self._table.get(key)
        if guard is None or int(guard["user_id"]) != user_id:
            return []
        return [self._table.delete_op(key, condition=attribute_equals("user_id", user_id))]

    def delete(self, user_id: int) -> bool:
        """Delete the user and the items of its partition; False when there was no such user.

        The profile, both its username guards, its directory entry and the user count change in
        one transaction, which also leaves a deletion marker in the user's partition; then the
        user's settings, tokens (with their hash lookups), sessions, webhooks and inbox are
        batch-deleted, and the marker last. Per-user stats stay: Memos keeps a deleted user's
        memos, which they describe. A delete of a user already gone whose marker is still there
        (its cleanup was cut short) finishes that cleanup and counts as done.
        """
        if user_id == SYSTEM_BOT_ID:
            return False
        for _ in range(_ATTEMPTS):
            current = self.get(user_id)
            if current is None:
                return self._finish_cleanup(user_id)
            operations = [
                self._table.delete_op(keys.user_key(user_id), condition=item_exists()),
                self._table.delete_op(
                    keys.username_key(current.username),
                    condition=attribute_equals("user_id", user_id),
                ),
                self._table.update_op(
                    keys.user_count_key(),
                    Expression("ADD #count :minus", {"#count": "user_count"}, {":minus": -1}),
                ),
                self._table.update_op(
                    _directory_block_key(user_id),
                    Expression("REMOVE #entry", {"#entry": _entry_attribute(user_id)}),
                ),
                *self._release_folded_guard_ops(current.username, user_id),
                self._table.put_op(
                    {**keys.user_deletion_key(user_id).attributes(), "entity": _DELETION_ENTITY}
                ),
            ]
            try:
                self._table.transact(operations)
            except TransactionCancelledError as error:
                if error.failed(0) or error.failed(1) or error.failed(4):
                    continue
                raise
            self._delete_owned_items(user_id)
            return True
        return False

    def _finish_cleanup(self, user_id: int) -> bool:
        """Finish the cleanup of a deleted user whose marker is still there; False without one."""
        if self._table.get(keys.user_deletion_key(user_id)) is None:
            return False
        self._delete_owned_items(user_id)
        return True

    def _delete_owned_items(self, user_id: int) -> None:
        """Batch-delete the user's partition but its stats, then the deletion marker."""
        marker = keys.user_deletion_key(user_id)
        owned: list[ItemKey] = []
        for item in self._table.query_all(keys.user_partition(user_id), consistent=True):
            sort = str(item[SORT_KEY])
            if sort.startswith(keys.USER_STATS_PREFIX) or sort == marker.sk:
                continue
            owned.append(keys.ItemKey(str(item[PARTITION_KEY]), sort))
            if sort.startswith(keys.PAT_PREFIX) and TOKEN_HASH_ATTRIBUTE in item:
                owned.append(keys.pat_hash_key(str(item[TOKEN_HASH_ATTRIBUTE])))
        self._table.batch_delete(owned)
        self._table.delete(marker)

    # Reads -------------------------------------------------------------------------------

    def get(self, user_id: int) -> User | None:
        """The user with this id, the system bot for id 0, or None."""
        if user_id == SYSTEM_BOT_ID:
            return SYSTEM_BOT
        item = self._table.get(keys.user_key(user_id))
        return _user_from_item(item) if item else None

    def get_by_username(self, username: str) -> User | None:
        """Exact, case-sensitive match through the username guard (two GetItems); None without
        a read for a name too long to be a username."""
        if not could_be_username(username):
            return None
        guard = self._table.get(keys.username_key(username))
        if guard is None:
            return None
        user = self.get(int(guard["user_id"]))
        return user if user is not None and user.username == username else None

    def get_many(self, user_ids: Iterable[int], *, consistent: bool = False) -> dict[int, User]:
        """The users among ``user_ids`` that exist, by id: one BatchGetItem per 100 ids."""
        wanted = [user_id for user_id in dict.fromkeys(user_ids) if user_id != SYSTEM_BOT_ID]
        items = self._table.batch_get(
            [keys.user_key(user_id) for user_id in wanted], consistent=consistent
        )
        return {user.id: user for user in map(_user_from_item, items)}

    def ids_by_username(self, usernames: Iterable[str]) -> dict[str, int]:
        """The user id each existing username's guard holds: one BatchGetItem of the guards."""
        wanted = {keys.username_key(name).pk: name for name in usernames if could_be_username(name)}
        guards = self._table.batch_get([keys.username_key(name) for name in wanted.values()])
        return {wanted[str(item[PARTITION_KEY])]: int(item["user_id"]) for item in guards}

    def read_directory(self, *, max_items: int) -> DirectoryRead:
        """The entries of the newest ``max_items`` directory blocks, newest user first.

        One Query (eventually consistent) of the directory partition, descending, ``Limit``
        ``max_items``; a second page only when DynamoDB's 1 MB page stops short of it.
        """
        entries: list[DirectoryEntry] = []
        read = 0
        start: dict[str, str] | None = None
        while read < max_items:
            page = self._table.query_page(
                keys.USER_DIRECTORY_PARTITION, forward=False, limit=max_items - read, start=start
            )
            read += len(page.items)
            for item in page.items:
                entries.extend(sorted(_entries_of(item), key=lambda entry: -entry.id))
            if page.last_key is None:
                break
            start = page.last_key
        return DirectoryRead(tuple(entries), read)

    def backfill_directory(self, *, dry_run: bool = False) -> int:
        """Add the directory entries of users stored without one; returns how many were added
        (with ``dry_run``, how many are missing, and nothing is written).

        For tables written before the directory existed (every write since keeps it). The
        directory is read once to find the missing entries; each is then added only where none
        exists, so a concurrent rename, which writes its own entry, always wins; a user deleted
        meanwhile may leave an entry behind, which searches ignore (they confirm every match on
        the profile).
        """
        listed = {
            entry.id
            for item in self._table.query_all(keys.USER_DIRECTORY_PARTITION)
            for entry in _entries_of(item)
        }
        missing = [user for user in self.list_all_users() if user.id not in listed]
        if dry_run:
            return len(missing)
        added = 0
        for user in missing:
            attribute = _entry_attribute(user.id)
            try:
                self._table.update(
                    _directory_block_key(user.id),
                    _set_entry(user),
                    condition=Expression("attribute_not_exists(#entry)", {"#entry": attribute}),
                    return_values="NONE",
                )
            except ConditionFailedError:
                continue
            added += 1
        return added

    def backfill_folded_guards(self, *, dry_run: bool = False) -> GuardBackfill:
        """Give every user stored without one its folded username guard (with ``dry_run``, say
        what that would do and write nothing).

        For tables written before folded guards existed (every create and rename since writes
        them). The guards are read in batches first; a missing one is put only where none exists,
        so it never takes one from its holder. Of look-alikes stored before the guards existed,
        the newest gets the guard and the others are reported as blocked. A user deleted
        meanwhile may leave a guard behind, which blocks its look-alikes until deleted by hand
        (the blocked users and the guard's ``user_id`` say which).
        """
        users = self.list_all_users()  # newest first: the newest look-alike wins the guard
        guard_keys = {
            user.id: keys.folded_username_key(fold_username(user.username)) for user in users
        }
        holders = {
            str(item[PARTITION_KEY]): int(item["user_id"])
            for item in self._table.batch_get(list(guard_keys.values()))
        }
        added = 0
        blocked: list[User] = []
        for user in users:
            guard = guard_keys[user.id].pk
            holder = holders.get(guard)
            if holder == user.id:
                continue
            if holder is None and (dry_run or self._claim_folded_guard(user)):
                holders[guard] = user.id
                added += 1
            else:
                blocked.append(user)
        return GuardBackfill(added, tuple(blocked))

    def _claim_folded_guard(self, user: User) -> bool:
        """Put ``user``'s folded guard unless another user holds it (False then)."""
        try:
            self._table.put(
                _folded_guard_item(user.username, user.id), condition=_absent_or(user.id)
            )
        except ConditionFailedError:
            return False
        return True

    def list_users(
        self, *, limit: int = 100, cursor: Mapping[str, Any] | None = None
    ) -> Page[User]:
        """Users newest first (id descending = creation order descending), one Query on GSI1."""
        start = checked_cursor(
            cursor, _INDEX_CURSOR_ATTRIBUTES[GSI1.name], gsi1pk=keys.USERS_INDEX_PARTITION
        )
        page = self._table.query_page(
            keys.USERS_INDEX_PARTITION, index=GSI1, forward=False, limit=limit, start=start
        )
        return Page(tuple(_user_from_item(item) for item in page.items), page.last_key)

    def list_all_users(self) -> list[User]:
        """Every user, newest first (ListUsers returns everything)."""
        items = self._table.query_all(keys.USERS_INDEX_PARTITION, index=GSI1, forward=False)
        return [_user_from_item(item) for item in items]

    def list_by_role(
        self, role: str, *, limit: int = 100, cursor: Mapping[str, Any] | None = None
    ) -> Page[User]:
        """Users of one role, newest first: one Query on GSI2."""
        partition = keys.users_by_role_partition(role)
        start = checked_cursor(cursor, _INDEX_CURSOR_ATTRIBUTES[GSI2.name], gsi2pk=partition)
        page = self._table.query_page(
            partition, index=GSI2, forward=False, limit=limit, start=start
        )
        return Page(tuple(_user_from_item(item) for item in page.items), page.last_key)

    def newest_admin(self) -> User | None:
        """The most recently created ADMIN (what the instance profile shows), or None."""
        page = self.list_by_role(Role.ADMIN, limit=1)
        return page.items[0] if page.items else None

    # Directory ---------------------------------------------------------------------------

    def _directory_entry_op(self, user: User) -> TransactWriteItemTypeDef:
        return self._table.update_op(_directory_block_key(user.id), _set_entry(user))


# In a deleted user's partition from its delete's transaction until its cleanup is done.
_DELETION_ENTITY: Final = "USER_DELETION"


_INDEX_CURSOR_ATTRIBUTES = {
    index.name: (PARTITION_KEY, SORT_KEY, index.partition_key, index.sort_key)
    for index in (GSI1, GSI2)
}
_USER_FIELDS = tuple(item.name for item in fields(User))


def _user_item(user: User) -> dict[str, Any]:
    return {
        **keys.user_key(user.id).attributes(),
        **keys.users_index_key(user.id).attributes(),
        **keys.users_by_role_index_key(user.role, user.id).attributes(),
        "entity": "USER",
        **{name: getattr(user, name) for name in _USER_FIELDS},
    }


def _guard_item(username: str, user_id: int) -> dict[str, Any]:
    return {**keys.username_key(username).attributes(), "entity": "USERNAME", "user_id": user_id}


def _folded_guard_item(username: str, user_id: int) -> dict[str, Any]:
    return {
        **keys.folded_username_key(fold_username(username)).attributes(),
        "entity": "USERNAME_FOLD",
        "username": username,
        "user_id": user_id,
    }


def _absent_or(user_id: int) -> Expression:
    """The item doesn't exist, or holds ``user_id``."""
    return Expression(
        "attribute_not_exists(#pk) OR #owner = :owner",
        {"#pk": "pk", "#owner": "user_id"},
        {":owner": user_id},
    )


def _user_from_item(item: Item) -> User:
    return User(**{name: item[name] for name in _USER_FIELDS if name in item})


def _directory_block_key(user_id: int) -> ItemKey:
    return keys.user_directory_key(user_id // DIRECTORY_BLOCK_SIZE)


def _entry_attribute(user_id: int) -> str:
    return f"{_ENTRY_PREFIX}{user_id}"


def _directory_entry(user: User) -> DirectoryEntry:
    return DirectoryEntry(
        user.id, user.username, user.display_name[:DIRECTORY_NAME_LIMIT], user.state
    )


def _set_entry(user: User) -> Expression:
    entry = _directory_entry(user)
    return Expression(
        "SET #entry = :entry, #entity = :entity",
        {"#entry": _entry_attribute(user.id), "#entity": "entity"},
        {
            ":entry": {
                "username": entry.username,
                "display_name": entry.display_name,
                "state": entry.state,
            },
            ":entity": _DIRECTORY_ENTITY,
        },
    )


def _entries_of(item: Item) -> Iterable[DirectoryEntry]:
    for name, value in item.items():
        if name.startswith(_ENTRY_PREFIX) and name[len(_ENTRY_PREFIX) :].isdigit():
            yield DirectoryEntry(
                id=int(name[len(_ENTRY_PREFIX) :]),
                username=str(value.get("username", "")),
                display_name=str(value.get("display_name", "")),
                state=str(value.get("state", "")),
            )


def _listed_as(user: User) -> Expression:
    """The profile still has the username, display name and state it was read with."""
    return both(
        attribute_equals("username", user.username),
        both(
            attribute_equals("display_name", user.display_name),
            attribute_equals("state", user.state),
        ),
    )


def _username_taken(username: str) -> AlreadyExistsError:
    return AlreadyExistsError(f"username is already taken: {username}")
