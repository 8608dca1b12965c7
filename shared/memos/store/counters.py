"""Atomic id counters (users, inbox, memos, attachments, activities, reactions, idps, ...)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from memos.store.keys import counter_key
from memos.store.table import ConditionFailedError, Expression

if TYPE_CHECKING:
    from memos.store.table import DynamoTable

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class CounterStore:
    """``COUNTER#<name>`` items incremented with an atomic ``ADD``; ids start at 1."""

    def __init__(self, table: DynamoTable) -> None:
        self._table = table

    def next_id(self, name: str) -> int:
        """The next id of a counter (1, 2, 3, ...); never returns the same id twice."""
        item = self._table.update(
            counter_key(_checked(name)),
            Expression("ADD #value :one", {"#value": "value"}, {":one": 1}),
            return_values="UPDATED_NEW",
        )
        return int(item["value"])

    def raise_to(self, name: str, floor: int) -> None:
        """Make the counter at least ``floor``, so ids handed out later are above it (an import
        that keeps its own ids calls this with the highest one); never lowers it."""
        try:
            self._table.update(
                counter_key(_checked(name)),
                Expression("SET #value = :floor", {"#value": "value"}, {":floor": floor}),
                condition=Expression(
                    "attribute_not_exists(#value) OR #value < :floor",
                    {"#value": "value"},
                    {":floor": floor},
                ),
                return_values="NONE",
            )
        except ConditionFailedError:
            return  # already at or above it

    def current(self, name: str) -> int:
        """The last id handed out (0 when none was)."""
        item = self._table.get(counter_key(_checked(name)))
        return int(item["value"]) if item else 0


def _checked(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"invalid counter name: {name!r}")
    return name
