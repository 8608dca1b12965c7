"""Collecting write operations from several repositories and committing them together.

Repositories hand out write operations instead of writing; a flow that must change several items
at once (a comment: the comment, both memos' relation entries, the activity and the inbox item)
adds them to one :class:`Writes` and commits it as one TransactWriteItems. Each operation is
labelled, so a cancelled transaction tells which condition failed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from memos.store.table import TRANSACTION_LIMIT, TransactionCancelledError

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

    from memos.store.keys import ItemKey
    from memos.store.table import DynamoTable, Expression


class WriteConflictError(Exception):
    """A labelled operation's condition failed; ``labels`` name every failed operation."""

    def __init__(self, labels: Iterable[str]) -> None:
        self.labels = frozenset(labels)
        super().__init__(f"conditions failed: {', '.join(sorted(self.labels))}")


class Writes:
    """Write operations for one table, committed all-or-nothing."""

    def __init__(self, table: DynamoTable) -> None:
        self._table = table
        self._operations: list[TransactWriteItemTypeDef] = []
        self._labels: list[str] = []

    def __len__(self) -> int:
        return len(self._operations)

    def add(self, operation: TransactWriteItemTypeDef, label: str = "") -> None:
        self._operations.append(operation)
        self._labels.append(label)

    def put(
        self, item: Mapping[str, Any], *, condition: Expression | None = None, label: str = ""
    ) -> None:
        self.add(self._table.put_op(item, condition=condition), label)

    def update(
        self,
        key: ItemKey,
        update: Expression,
        *,
        condition: Expression | None = None,
        label: str = "",
    ) -> None:
        self.add(self._table.update_op(key, update, condition=condition), label)

    def delete(self, key: ItemKey, *, condition: Expression | None = None, label: str = "") -> None:
        self.add(self._table.delete_op(key, condition=condition), label)

    def extend(self, other: Writes) -> None:
        self._operations.extend(other._operations)
        self._labels.extend(other._labels)

    def commit(self) -> None:
        """Apply every operation or none; a failed condition raises :class:`WriteConflictError`.

        More operations than one transaction holds are refused: callers split their work so
        that what must be atomic fits (see :meth:`commit_in_chunks` for what need not be).
        """
        if not self._operations:
            return
        if len(self._operations) > TRANSACTION_LIMIT:
            raise ValueError(f"a transaction holds at most {TRANSACTION_LIMIT} operations")
        try:
            self._table.transact(self._operations)
        except TransactionCancelledError as error:
            failed = [label for i, label in enumerate(self._labels) if error.failed(i)]
            raise WriteConflictError(failed or ["transaction"]) from error

    def commit_in_chunks(self) -> None:
        """Apply the operations in transactions of at most the limit each (not atomic overall)."""
        for start in range(0, len(self._operations), TRANSACTION_LIMIT):
            chunk = Writes(self._table)
            chunk._operations = self._operations[start : start + TRANSACTION_LIMIT]
            chunk._labels = self._labels[start : start + TRANSACTION_LIMIT]
            chunk.commit()
