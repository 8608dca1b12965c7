"""What defining a record class costs at import, and how many each function's init defines.

Prints, in one run:

* the CPU time to define one record class of four fields, as a stdlib dataclass (frozen, with
  slots: what the project used before) and as a msgspec ``Struct`` (frozen: what it uses now),
  each defined many times over, in turn, round by round; median per class and the ratio;
* for every service Lambda, how many record classes its init defines (``Struct`` subclasses in
  modules of ``memos`` and ``functions`` once the handler is imported, in a fresh interpreter)
  and how many dataclasses its libraries still define there (connect-python's own).

Run with ``python bench/record_classes.py``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from dataclasses import field, make_dataclass
from pathlib import Path

from msgspec import defstruct

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "shared"), str(ROOT)]

from bench.cold_and_warm import import_environment  # noqa: E402
from bench.cold_instructions import SERVICES  # noqa: E402

_COUNT = (
    "import dataclasses, gc, json, msgspec; import functions.{service}.handler;"
    "ours = lambda m: m.split('.')[0] in ('memos', 'functions');"
    "kinds = [c for c in gc.get_objects() if isinstance(c, type)];"
    "print(json.dumps(["
    " sum(1 for c in kinds if issubclass(c, msgspec.Struct) and ours(c.__module__)),"
    " sum(1 for c in kinds if dataclasses.is_dataclass(c) and ours(c.__module__)),"
    " sum(1 for c in kinds if dataclasses.is_dataclass(c) and not ours(c.__module__))]))"
)


# The record both ways: four fields, two of them without a default.
_FIELDS = (("user_id", int), ("username", str), ("role", str, "USER"), ("email", str, ""))
_DOC = "A record of four fields."


def _define_dataclasses(times: int) -> float:
    fields = [
        (name, kind, field(default=rest[0])) if rest else (name, kind)
        for name, kind, *rest in _FIELDS
    ]
    start = time.process_time()
    for _ in range(times):
        make_dataclass("Record", fields, frozen=True, slots=True, namespace={"__doc__": _DOC})
    return (time.process_time() - start) / times


def _define_structs(times: int) -> float:
    start = time.process_time()
    for _ in range(times):
        defstruct("Record", _FIELDS, frozen=True, namespace={"__doc__": _DOC})
    return (time.process_time() - start) / times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--classes", type=int, default=200, help="classes defined per round")
    args = parser.parse_args()

    dataclass_times: list[float] = []
    struct_times: list[float] = []
    for _ in range(args.rounds):
        dataclass_times.append(_define_dataclasses(args.classes))
        struct_times.append(_define_structs(args.classes))
    per_dataclass = statistics.median(dataclass_times)
    per_struct = statistics.median(struct_times)
    print(f"define one record class: frozen dataclass with slots {per_dataclass * 1e3:6.3f} ms")
    print(f"                         frozen msgspec Struct         {per_struct * 1e3:6.3f} ms")
    print(f"                         ratio {per_dataclass / per_struct:.0f}x")

    print("record classes defined by each function's init (ours as Structs / ours as")
    print("dataclasses / libraries' dataclasses):")
    for service in SERVICES:
        out = subprocess.run(
            [sys.executable, "-c", _COUNT.format(service=service)],
            capture_output=True,
            text=True,
            check=True,
            env=import_environment(),
        ).stdout
        structs, ours, theirs = json.loads(out)
        estimate = structs * (per_dataclass - per_struct) * 1e3
        print(
            f"  {service:10} {structs:3} / {ours} / {theirs:2}"
            f"   (as dataclasses they would cost about {estimate:4.1f} ms more)"
        )


if __name__ == "__main__":
    main()
