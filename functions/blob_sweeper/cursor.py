"""Where the sweep stopped: one item of the table, so a run carries on where the last one ended.

The item holds the last object key the sweep looked at (empty: start from the first prefix).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from memos.store import keys

if TYPE_CHECKING:
    from memos.store.table import DynamoTable

_AFTER = "after"


class SweepCursor:
    def __init__(self, table: DynamoTable) -> None:
        self._table = table

    def load(self) -> str:
        """The key the last run stopped after, or "" to start from the beginning."""
        item = self._table.get(keys.blob_sweep_key())
        return str(item.get(_AFTER, "")) if item else ""

    def save(self, after: str) -> None:
        self._table.put({**keys.blob_sweep_key().attributes(), "entity": "SWEEP", _AFTER: after})
