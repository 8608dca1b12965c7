"""The DynamoDB table's shape: the one place that names the table's keys, indexes and TTL.

Read by the store, by the local server and tests (to create the table in moto) and by the
infrastructure (to create it in AWS). Pure data: no boto3 import.
"""

from __future__ import annotations

from msgspec import Struct

PARTITION_KEY = "pk"
SORT_KEY = "sk"
TTL_ATTRIBUTE = "expires_at_epoch"


class IndexSpec(Struct, frozen=True):
    name: str
    partition_key: str
    sort_key: str


# GSI1: "items of a kind, newest first" (users list, memos by creator, attachments by creator,
# activities). GSI2: secondary orderings (public memo feed, memo attachments, PAT hash lookup
# is a main-table item instead). Both project ALL attributes.
GSI1 = IndexSpec(name="gsi1", partition_key="gsi1pk", sort_key="gsi1sk")
GSI2 = IndexSpec(name="gsi2", partition_key="gsi2pk", sort_key="gsi2sk")

GLOBAL_SECONDARY_INDEXES: tuple[IndexSpec, ...] = (GSI1, GSI2)

# Every key attribute is a string.
KEY_ATTRIBUTES: tuple[str, ...] = (
    PARTITION_KEY,
    SORT_KEY,
    *(name for index in GLOBAL_SECONDARY_INDEXES for name in (index.partition_key, index.sort_key)),
)


def create_table_arguments(table_name: str) -> dict[str, object]:
    """``CreateTable`` arguments for an on-demand table of this shape (moto and local use)."""
    return {
        "TableName": table_name,
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [
            {"AttributeName": name, "AttributeType": "S"} for name in KEY_ATTRIBUTES
        ],
        "KeySchema": [
            {"AttributeName": PARTITION_KEY, "KeyType": "HASH"},
            {"AttributeName": SORT_KEY, "KeyType": "RANGE"},
        ],
        "GlobalSecondaryIndexes": [
            {
                "IndexName": index.name,
                "KeySchema": [
                    {"AttributeName": index.partition_key, "KeyType": "HASH"},
                    {"AttributeName": index.sort_key, "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
            for index in GLOBAL_SECONDARY_INDEXES
        ],
    }
