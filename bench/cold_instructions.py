"""Cold init of every store-backed service function in CPU instructions, as a ratio to
``import boto3; boto3.client("dynamodb")``.

CPU time on a shared machine moves by tens of percent from run to run; instructions do not.
Each subject runs once in a fresh interpreter under valgrind's callgrind, which counts the
instructions the process executes; an empty interpreter's count is taken off both sides, so
the ratio compares the imports and the client alone. Instructions leave out what the kernel
does (reading files, mapping libraries) and what caches cost, so they are a floor for the time
ratio that ``bench/cold_and_warm.py`` prints, not a replacement for it.

Needs ``valgrind`` on the PATH (Debian/Ubuntu: ``apt-get install valgrind``); about a minute
per subject. Run with ``make bench-instructions`` or
``python bench/cold_instructions.py --service memo --service user``.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "shared"), str(ROOT)]

from bench.cold_and_warm import (  # noqa: E402
    BOTO3_WITH_CLIENT,
    compile_sources,
    import_environment,
)

SERVICES = ("instance", "shortcut", "auth", "user", "activity", "memo", "idp", "attachment")
_COLLECTED = re.compile(r"Collected : (\d+)")


def instructions(code: str) -> int:
    """Instructions executed by a fresh interpreter running ``code``."""
    result = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            "-c",
            code,
        ],
        env=import_environment(),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    found = _COLLECTED.search(result.stderr)
    if found is None:
        raise RuntimeError(f"callgrind printed no count:\n{result.stderr[-2000:]}")
    return int(found.group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--service", action="append", choices=SERVICES, help="a function to count (default: all)"
    )
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        print("valgrind is not installed; nothing counted", file=sys.stderr)
        return 2
    compile_sources()
    empty = instructions("pass")
    baseline = instructions(f"import {BOTO3_WITH_CLIENT}") - empty
    print(f"cold import boto3 + DynamoDB client: {baseline / 1e6:7.0f} M instructions")
    for service in args.service or SERVICES:
        mine = instructions(f"import functions.{service}.handler") - empty
        print(
            f"cold functions.{service + '.handler':20s} {mine / 1e6:7.0f} M instructions, "
            f"{mine / baseline:.2f}x import boto3 + DynamoDB client"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
