"""Progress bars with a count per kind, on standard error (rich)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

if TYPE_CHECKING:
    from rich.progress import TaskID


class TerminalProgress:
    """One bar per kind of row; kinds whose total is unknown count up without a bar."""

    def __init__(self) -> None:
        self.console = Console(stderr=True)
        self._bars = Progress(
            TextColumn("{task.description:<20}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console,
            transient=False,
        )
        self._tasks: dict[str, TaskID] = {}

    def __enter__(self) -> TerminalProgress:
        self._bars.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._bars.stop()

    def start(self, kind: str, total: int) -> None:
        if kind not in self._tasks:
            self._tasks[kind] = self._bars.add_task(kind, total=total or None)

    def advance(self, kind: str) -> None:
        task = self._tasks.get(kind)
        if task is not None:
            self._bars.advance(task)
