"""What an import or export did, per kind of row: imported, skipped, conflicts, errors."""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from msgspec import Struct, field


class Outcome(StrEnum):
    IMPORTED = "imported"  # written (or, in a dry run, would be)
    SKIPPED = "skipped"  # already there from an earlier run, or not carried over
    CONFLICT = "conflict"  # the target holds a different record under the same name or id
    ERROR = "error"  # the row could not be read or written


class Tally(Struct):
    imported: int = 0
    skipped: int = 0
    conflicts: int = 0
    errors: int = 0

    def add(self, outcome: Outcome) -> None:
        if outcome is Outcome.IMPORTED:
            self.imported += 1
        elif outcome is Outcome.SKIPPED:
            self.skipped += 1
        elif outcome is Outcome.CONFLICT:
            self.conflicts += 1
        else:
            self.errors += 1


class Progress(Protocol):
    """Where a run shows how far it got (a terminal's progress bars, or nothing)."""

    def start(self, kind: str, total: int) -> None: ...

    def advance(self, kind: str) -> None: ...


class NoProgress:
    def start(self, kind: str, total: int) -> None:
        return None

    def advance(self, kind: str) -> None:
        return None


class Report(Struct):
    """Outcomes per kind, and a line for every conflict, error and notable skip."""

    progress: Progress = field(default_factory=NoProgress)
    tallies: dict[str, Tally] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def start(self, kind: str, total: int) -> None:
        self.tallies.setdefault(kind, Tally())
        self.progress.start(kind, total)

    def record(self, kind: str, outcome: Outcome, note: str = "") -> Outcome:
        self.tallies.setdefault(kind, Tally()).add(outcome)
        if note:
            self.notes.append(f"{outcome.value}: {kind}: {note}")
        self.progress.advance(kind)
        return outcome

    def count(self, kind: str, outcome: Outcome) -> int:
        tally = self.tallies.get(kind, Tally())
        return {
            Outcome.IMPORTED: tally.imported,
            Outcome.SKIPPED: tally.skipped,
            Outcome.CONFLICT: tally.conflicts,
            Outcome.ERROR: tally.errors,
        }[outcome]

    @property
    def conflicts(self) -> int:
        return sum(tally.conflicts for tally in self.tallies.values())

    @property
    def errors(self) -> int:
        return sum(tally.errors for tally in self.tallies.values())

    def summary_lines(self, done: str = "imported") -> list[str]:
        """A table of the tallies; ``done`` heads the first column (``written`` for exports)."""
        width = max((len(kind) for kind in self.tallies), default=4)
        lines = [f"{'kind':<{width}}  {done:>8}  skipped  conflicts  errors"]
        for kind, tally in self.tallies.items():
            lines.append(
                f"{kind:<{width}}  {tally.imported:>8}  {tally.skipped:>7}  "
                f"{tally.conflicts:>9}  {tally.errors:>6}"
            )
        return lines
