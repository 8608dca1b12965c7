"""Counting what a request asks of DynamoDB, for the bench scripts."""

from __future__ import annotations

from typing import Any


class CountingClient:
    """Wraps a DynamoDB client: records each operation, sums Queries' ScannedCount, refuses Scan.

    Install it as ``stores.table.client``; ``reset()`` between the requests measured.
    """

    def __init__(self, client: Any) -> None:
        self._client = client
        self.operations: list[str] = []
        self.scanned = 0

    def reset(self) -> None:
        self.operations.clear()
        self.scanned = 0

    def __getattr__(self, name: str) -> Any:
        if name == "scan":
            raise AssertionError("Scan used")
        method = getattr(self._client, name)

        def counted(**kwargs: Any) -> Any:
            self.operations.append(name)
            response = method(**kwargs)
            if isinstance(response, dict) and "ScannedCount" in response:
                self.scanned += int(response["ScannedCount"])
            return response

        return counted
