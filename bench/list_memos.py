"""ListMemos cost per page: items DynamoDB examined, round trips, memos returned.

Seeds an in-memory table (``memos.store.memory``: moto's DynamoDB models in process) through the
real memo write path: 2,000 memos by
one user (mixed visibility, 10 pinned, 100 archived, 1 in 10 tagged ``#work``, 1 in 50
containing "needle", one every 30 minutes) and 2,000 PUBLIC memos by 20 other users. Then asks
MemoService, through the in-process app exactly as the web app does (Connect JSON), for one page
of 20 of each list below and prints, per list:

* examined: DynamoDB's ``ScannedCount`` summed over the request's Queries (items read);
* round trips: every DynamoDB call the request made (listing Queries, the caller, the
  instance setting, and the BatchGetItems that render the page);
* returned: memos in the page.

Targets (issue): examined <= P+1 without a filter, <= 2x returned for visibility, pinned,
archived, tag and time filters; no Scan (a Scan fails the run). Also prints the memo function's
cold import against a bare ``import boto3`` (target <= 1.5x).

Run with ``make bench`` or ``python bench/list_memos.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "shared"), str(ROOT)]

PAGE = 20
START = 1_700_000_000


def _environment() -> None:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
        "MEMOS_TABLE_NAME": "memos-bench",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
        "MEMOS_LOG_LEVEL": "WARNING",
    }.items():
        os.environ[name] = value
    os.environ.pop("MEMOS_DYNAMODB_ENDPOINT", None)


def _seed(stores: Any, owner_id: int, others: list[int]) -> None:
    from functions.memo.writing import MemoDraft, MemoWriter
    from memos.domain.enums import State

    writer = MemoWriter(stores)
    visibilities = ("PRIVATE", "PROTECTED", "PUBLIC")
    for index in range(2000):
        content = f"memo {index} of the owner"
        if index % 10 == 0:
            content += " #work"
        if index % 50 == 0:
            content += " with a needle"
        created = START + index * 1800
        memo = writer.create(
            owner_id,
            f"own{index}",
            MemoDraft(content, visibilities[index % 3], created, created),
        )
        if index % 200 == 7 or index % 20 == 3:
            pinned, archived = index % 200 == 7, index % 20 == 3

            def change(old: Any, pinned: bool = pinned, archived: bool = archived) -> Any:
                from msgspec.structs import replace

                return replace(
                    old,
                    pinned=pinned or old.pinned,
                    state=State.ARCHIVED.value if archived else old.state,
                )

            writer.update(memo.uid, change)
    for index in range(2000):
        created = START + 900 + index * 1800
        writer.create(
            others[index % len(others)],
            f"pub{index}",
            MemoDraft(f"public memo {index} #news", "PUBLIC", created, created),
        )


def _lists(owner_id: int) -> list[tuple[str, dict[str, Any], bool, bool]]:
    """(label, ListMemos request, signed in?, has a filter beyond the listing)."""
    mine = f"creator_id == {owner_id}"
    day = START + 1000 * 1800
    return [
        ("Home (display_time desc)", {"filter": mine, "orderBy": "display_time desc"}, True, False),
        (
            "Home, pinned first",
            {"filter": mine, "orderBy": "pinned desc, display_time desc"},
            True,
            False,
        ),
        ("Explore (signed in)", {"filter": 'visibility in ["PUBLIC", "PROTECTED"]'}, True, True),
        ("Explore (anonymous)", {"filter": 'visibility in ["PUBLIC"]'}, False, True),
        ("Pinned", {"filter": f"{mine} && pinned"}, True, True),
        ("Archived", {"filter": mine, "state": "ARCHIVED"}, True, True),
        ("Tag #work", {"filter": f'{mine} && tag in ["work"]'}, True, True),
        (
            "Search content.contains",
            {"filter": f'{mine} && content.contains("needle")'},
            True,
            True,
        ),
        (
            "Time range (3 days)",
            {"filter": f"{mine} && created_ts >= {day} && created_ts < {day + 3 * 86400}"},
            True,
            True,
        ),
    ]


def run(runs: int) -> None:
    _environment()
    from functions.memo.service import MemoService
    from memos.config import get_settings
    from memos.rpc.app import create_service_app
    from memos.store.memory import memory_stores
    from memos.store.users import NewUser
    from tests.asgi import call
    from tests.integration.user.conftest import TokensForUsers

    settings = get_settings()
    stores = memory_stores()
    owner = stores.users.create(NewUser(username="owner", role="USER"))
    others = [stores.users.create(NewUser(username=f"other{i}", role="USER")).id for i in range(20)]
    began = time.perf_counter()
    _seed(stores, owner.id, others)
    print(f"seeded 4,000 memos through the write path in {time.perf_counter() - began:.1f} s\n")

    app = create_service_app(
        MemoService(stores, settings), verifier=TokensForUsers(stores), cors_origins=[]
    )
    from bench.dynamodb_calls import CountingClient

    counter = CountingClient(stores.table.client)
    stores.table.client = counter  # type: ignore[assignment]

    header = f"{'list (page of 20)':28} {'examined':>8} {'round trips':>11} {'returned':>8}  target"
    print(header)
    print("-" * len(header))
    for label, request, signed_in, filtered in _lists(owner.id):
        counter.reset()
        headers = {"content-type": "application/json"}
        if signed_in:
            headers["authorization"] = f"Bearer token-{owner.id}"
        response = call(
            app,
            "POST",
            "/memos.api.v1.MemoService/ListMemos",
            body=json.dumps({**request, "pageSize": PAGE}).encode(),
            headers=headers,
        )
        if response.status != 200:
            raise SystemExit(f"{label}: {response.status} {response.body!r}")
        returned = len(response.json().get("memos", []))
        limit = 2 * max(returned, 1) if filtered else PAGE + 1
        if "Search" in label:
            verdict = "(no target: a substring search reads until it finds)"
        else:
            verdict = ("<= " if counter.scanned <= limit else "> ") + str(limit)
            verdict += "  ok" if counter.scanned <= limit else "  MISSED"
        calls = len(counter.operations)
        print(f"{label:28} {counter.scanned:8d} {calls:11d} {returned:8d}  {verdict}")

    from bench.cold_and_warm import cold_import

    ours, base = cold_import("memo", runs)
    print(
        f"\ncold import functions.memo.handler: {ours * 1000:.0f} ms vs import boto3 "
        f"{base * 1000:.0f} ms = {ours / base:.2f}x (target <= 1.5x)"
    )


def main(argv: Iterator[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="cold-import runs (median)")
    arguments = parser.parse_args(list(argv) if argv is not None else None)
    run(arguments.runs)


if __name__ == "__main__":
    main()
