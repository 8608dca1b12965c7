"""CounterStore: atomic, gap-tolerant id counters."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from memos.store import Stores


def test_ids_start_at_one_and_counters_are_independent(stores: Stores) -> None:
    assert [stores.counters.next_id("memos") for _ in range(3)] == [1, 2, 3]
    assert stores.counters.next_id("attachments") == 1
    assert stores.counters.current("memos") == 3
    assert stores.counters.current("idps") == 0


def test_concurrent_callers_never_share_an_id(stores: Stores) -> None:
    barrier = threading.Barrier(20)
    ids: list[int] = []
    lock = threading.Lock()

    def take() -> None:
        barrier.wait()
        value = stores.counters.next_id("reactions")
        with lock:
            ids.append(value)

    threads = [threading.Thread(target=take) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(ids) == list(range(1, 21))


def test_malformed_counter_names_are_refused(stores: Stores) -> None:
    with pytest.raises(ValueError, match="invalid counter name"):
        stores.counters.next_id("Memos#1")


def test_raising_a_counter_moves_it_up_but_never_down(stores: Stores) -> None:
    # Given a counter that has handed out two ids
    stores.counters.next_id("memos")
    stores.counters.next_id("memos")

    # When an import raises it to 40, then to 7
    stores.counters.raise_to("memos", 40)
    stores.counters.raise_to("memos", 7)

    # Then it stays at 40, and the next id is above it; a fresh counter starts at the floor
    assert stores.counters.current("memos") == 40
    assert stores.counters.next_id("memos") == 41
    stores.counters.raise_to("inbox", 3)
    assert stores.counters.next_id("inbox") == 4
