"""A memo's extras: its reactions, relations and attachment links, on one item per memo.

``MEMO#<uid>``/``EXTRAS`` holds three maps, so a page of memos gets everything it shows in one
BatchGetItem instead of a Query per memo:

- ``reactions``: ``<user id>#<type>`` -> ``{id, creator_id, type, created_ts}``; the map key makes
  (user, memo, type) unique (a conditional SET). ``REACTION#<id>`` items find a reaction by id.
- ``relations``: ``OUT#<TYPE>#<uid>`` / ``IN#<TYPE>#<uid>`` -> ``{uid, type, sequence}``; a
  relation is written on both memos' extras in one transaction, so neither half exists alone.
- ``attachments``: attachment uid -> its position (the attachment's update time at linking).

Changes to one memo's extras are gathered in :class:`ExtrasChanges` and written as one
UpdateItem per memo (a transaction may touch an item only once).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from msgspec import Struct, field

from memos.store import keys
from memos.store.clock import sequence_number
from memos.store.table import Expression, both, item_exists

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from memos.store.table import DynamoTable
    from memos.store.writes import Writes

OUT, IN = "OUT", "IN"
REACTION_COUNTER = "reactions"


class StoredReaction(Struct, frozen=True):
    id: int
    memo_uid: str
    creator_id: int
    reaction_type: str
    created_ts: int


class RelationEntry(Struct, frozen=True):
    """One half of a relation as seen from a memo: the other memo, the type and the direction."""

    direction: str  # OUT: this memo -> other; IN: other -> this memo
    type: str
    other_uid: str
    sequence: int = 0

    @property
    def key(self) -> str:
        return relation_key(self.direction, self.type, self.other_uid)


class MemoExtras(Struct, frozen=True):
    uid: str
    reactions: tuple[StoredReaction, ...] = ()  # id ascending
    relations: tuple[RelationEntry, ...] = ()  # creation order
    attachments: Mapping[str, int] = field(default_factory=dict)  # uid -> position

    def outgoing(self, relation_type: str | None = None) -> list[RelationEntry]:
        return [
            entry
            for entry in self.relations
            if entry.direction == OUT and relation_type in (None, entry.type)
        ]

    def incoming(self, relation_type: str | None = None) -> list[RelationEntry]:
        return [
            entry
            for entry in self.relations
            if entry.direction == IN and relation_type in (None, entry.type)
        ]

    def attachment_uids(self) -> list[str]:
        """Linked attachments, newest position first (the order Memos lists them in)."""
        return sorted(self.attachments, key=lambda uid: (-self.attachments[uid], uid))


def relation_key(direction: str, relation_type: str, other_uid: str) -> str:
    return f"{direction}#{relation_type}#{other_uid}"


def reaction_key(creator_id: int, reaction_type: str) -> str:
    return f"{creator_id}#{reaction_type}"


def empty_extras_item(uid: str) -> dict[str, Any]:
    return {
        **keys.memo_extras_key(uid).attributes(),
        "entity": "MEMO_EXTRAS",
        "uid": uid,
        "reactions": {},
        "relations": {},
        "attachments": {},
    }


class _Change(Struct):
    sets: dict[tuple[str, str], Any] = field(default_factory=dict)
    removals: set[tuple[str, str]] = field(default_factory=set)
    conditions: list[Expression] = field(default_factory=list)


class ExtrasChanges:
    """Map-entry changes to several memos' extras, one UpdateItem per memo when written."""

    def __init__(self) -> None:
        self._changes: dict[str, _Change] = {}

    def __bool__(self) -> bool:
        return bool(self._changes)

    def _change(self, uid: str) -> _Change:
        return self._changes.setdefault(uid, _Change())

    def set_entry(self, uid: str, attribute: str, key: str, value: Any) -> None:
        change = self._change(uid)
        change.removals.discard((attribute, key))
        change.sets[(attribute, key)] = value

    def remove_entry(self, uid: str, attribute: str, key: str) -> None:
        change = self._change(uid)
        change.sets.pop((attribute, key), None)
        change.removals.add((attribute, key))

    def require_absent(self, uid: str, attribute: str, key: str) -> None:
        """The write fails (label ``extras:<uid>``) if the entry already exists."""
        conditions = self._change(uid).conditions
        index = len(conditions)
        conditions.append(
            Expression(
                f"attribute_not_exists(#ca{index}.#ck{index})",
                {f"#ca{index}": attribute, f"#ck{index}": key},
            )
        )

    def add_relation(self, source_uid: str, target_uid: str, relation_type: str) -> None:
        sequence = sequence_number()
        self.set_entry(
            source_uid,
            "relations",
            relation_key(OUT, relation_type, target_uid),
            {"uid": target_uid, "type": relation_type, "sequence": sequence},
        )
        self.set_entry(
            target_uid,
            "relations",
            relation_key(IN, relation_type, source_uid),
            {"uid": source_uid, "type": relation_type, "sequence": sequence},
        )

    def remove_relation(self, source_uid: str, target_uid: str, relation_type: str) -> None:
        self.remove_entry(source_uid, "relations", relation_key(OUT, relation_type, target_uid))
        self.remove_entry(target_uid, "relations", relation_key(IN, relation_type, source_uid))

    def add_to(self, writes: Writes) -> None:
        """One UpdateItem per memo, each requiring the extras item (label ``extras:<uid>``)."""
        for uid, change in self._changes.items():
            if not (change.sets or change.removals):
                continue
            names: dict[str, str] = {}
            values: dict[str, Any] = {}
            assignments: list[str] = []
            removals: list[str] = []
            for index, ((attribute, key), value) in enumerate(change.sets.items()):
                names[f"#a{index}"] = attribute
                names[f"#k{index}"] = key
                values[f":v{index}"] = value
                assignments.append(f"#a{index}.#k{index} = :v{index}")
            for index, (attribute, key) in enumerate(sorted(change.removals)):
                names[f"#ra{index}"] = attribute
                names[f"#rk{index}"] = key
                removals.append(f"#ra{index}.#rk{index}")
            clauses = []
            if assignments:
                clauses.append("SET " + ", ".join(assignments))
            if removals:
                clauses.append("REMOVE " + ", ".join(removals))
            condition = item_exists()
            for extra in change.conditions:
                condition = both(condition, extra)
            writes.update(
                keys.memo_extras_key(uid),
                Expression(" ".join(clauses), names, values),
                condition=condition,
                label=f"extras:{uid}",
            )


class MemoExtrasStore:
    def __init__(self, table: DynamoTable) -> None:
        self._table = table

    def get(self, uid: str) -> MemoExtras:
        item = self._table.get(keys.memo_extras_key(uid))
        return extras_from_item(uid, item or {})

    def get_many(self, uids: Iterable[str]) -> dict[str, MemoExtras]:
        """Extras of every memo in ``uids`` (empty extras for those without an item)."""
        wanted = list(dict.fromkeys(uids))
        if not wanted:
            return {}
        found = {
            str(item["uid"]): item
            for item in self._table.batch_get([keys.memo_extras_key(uid) for uid in wanted])
        }
        return {uid: extras_from_item(uid, found.get(uid, {})) for uid in wanted}

    def get_reaction(self, reaction_id: int) -> StoredReaction | None:
        item = self._table.get(keys.reaction_key(reaction_id))
        if item is None:
            return None
        return StoredReaction(
            id=int(item["id"]),
            memo_uid=str(item["memo_uid"]),
            creator_id=int(item["creator_id"]),
            reaction_type=str(item["reaction_type"]),
            created_ts=int(item["created_ts"]),
        )


def reaction_lookup_item(reaction: StoredReaction) -> dict[str, Any]:
    return {
        **keys.reaction_key(reaction.id).attributes(),
        "entity": "REACTION",
        "id": reaction.id,
        "memo_uid": reaction.memo_uid,
        "creator_id": reaction.creator_id,
        "reaction_type": reaction.reaction_type,
        "created_ts": reaction.created_ts,
    }


def reaction_entry(reaction: StoredReaction) -> dict[str, Any]:
    return {
        "id": reaction.id,
        "creator_id": reaction.creator_id,
        "reaction_type": reaction.reaction_type,
        "created_ts": reaction.created_ts,
    }


def extras_from_item(uid: str, item: Mapping[str, Any]) -> MemoExtras:
    reactions = sorted(
        (
            StoredReaction(
                id=int(entry["id"]),
                memo_uid=uid,
                creator_id=int(entry["creator_id"]),
                reaction_type=str(entry["reaction_type"]),
                created_ts=int(entry["created_ts"]),
            )
            for entry in dict(item.get("reactions") or {}).values()
        ),
        key=lambda reaction: reaction.id,
    )
    relations = sorted(
        (
            RelationEntry(
                direction=str(key).split("#", 1)[0],
                type=str(entry["type"]),
                other_uid=str(entry["uid"]),
                sequence=int(entry.get("sequence", 0)),
            )
            for key, entry in dict(item.get("relations") or {}).items()
        ),
        key=lambda entry: (entry.sequence, entry.other_uid),
    )
    attachments = {
        str(key): int(value) for key, value in dict(item.get("attachments") or {}).items()
    }
    return MemoExtras(uid, tuple(reactions), tuple(relations), attachments)
