"""What every record type shares: records are msgspec ``Struct`` classes (see
``docs/decisions.md``, "Records are msgspec Structs"); this holds the one thing msgspec leaves
to us, a representation that leaves some fields out."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from msgspec import Struct


def repr_without(record: Struct, *hidden: str) -> str:
    """``Name(field=value, ...)`` as msgspec writes it, without the fields named in ``hidden``:
    a secret, or a row that carries one, stays out of logs and tracebacks."""
    shown = ", ".join(
        f"{name}={getattr(record, name)!r}"
        for name in record.__struct_fields__
        if name not in hidden
    )
    return f"{type(record).__name__}({shown})"
