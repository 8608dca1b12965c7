"""The emulated table as the snapshots see it: its items straight from moto, and a write count.

Reading moto's table in process, instead of paging a Scan through the client, is what makes
frequent snapshots affordable: moto walks the whole table again for every page, so a Scan of
20,000 items takes about 35 s, against about 1.3 s read here. Putting items back goes through
moto's backend too (about 4x faster than BatchWriteItem), with the checks a PutItem has. Every
use of moto's internals is in this module.

:func:`counting_writes` puts a re-entrant gate around every emulated request and counts those
that may change a table, so a snapshot can tell whether anything changed since the last one
and read the table with no request half applied.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Final

from msgspec import Struct, field

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

# DynamoDB operations that never change a table; any other DynamoDB call counts as a write.
_READS: Final = frozenset(
    {
        "BatchGetItem",
        "DescribeContinuousBackups",
        "DescribeTable",
        "DescribeTimeToLive",
        "GetItem",
        "ListTables",
        "ListTagsOfResource",
        "Query",
        "Scan",
        "TransactGetItems",
    }
)
_DYNAMODB_TARGET: Final = "DynamoDB_20120810."


class EmulatedWrites(Struct):
    """How many emulated DynamoDB writes have completed; hold ``gate`` to keep it still."""

    gate: threading.RLock = field(default_factory=threading.RLock)
    count: int = 0


@contextmanager
def counting_writes() -> Iterator[EmulatedWrites]:
    """While active, emulated requests run one at a time under the yielded ``gate``, and each
    DynamoDB request that may write adds one to ``count`` once applied."""
    from moto.core.botocore_stubber import BotocoreStubber  # noqa: PLC0415 - dev dependency

    writes = EmulatedWrites()
    apply = BotocoreStubber.process_request

    def apply_and_count(self: BotocoreStubber, request: Any) -> Any:
        with writes.gate:
            try:
                return apply(self, request)
            finally:
                if _may_write(request):
                    writes.count += 1

    BotocoreStubber.process_request = apply_and_count  # type: ignore[method-assign]
    try:
        yield writes
    finally:
        BotocoreStubber.process_request = apply  # type: ignore[method-assign]


def table_exists(region: str, table_name: str) -> bool:
    return table_name in _backend(region).tables


def item_lines(region: str, table_name: str) -> list[str]:
    """Every item of the table as one line of DynamoDB JSON (binary values in base64, as the
    service sends them), in key order. Call it holding the gate of :func:`counting_writes`."""
    from moto.dynamodb.models.utilities import dynamo_json_dump  # noqa: PLC0415 - as above

    table = _backend(region).get_table(table_name)
    return [dynamo_json_dump(item.to_json()["Attributes"]) for item in table.all_items()]


def put_items(region: str, table_name: str, items: Iterable[dict[str, Any]]) -> None:
    """Put DynamoDB JSON items into the table, each as PutItem would (its key checked)."""
    backend = _backend(region)
    for item in items:
        backend.put_item(table_name, item)


def _backend(region: str) -> Any:
    from moto.core.models import DEFAULT_ACCOUNT_ID  # noqa: PLC0415 - as above
    from moto.dynamodb.models import dynamodb_backends  # noqa: PLC0415

    return dynamodb_backends[DEFAULT_ACCOUNT_ID][region]


def _may_write(request: Any) -> bool:
    target = request.headers.get("X-Amz-Target", b"")
    if isinstance(target, bytes):
        target = target.decode("ascii", "replace")
    if not target.startswith(_DYNAMODB_TARGET):
        return False
    return target.removeprefix(_DYNAMODB_TARGET) not in _READS
