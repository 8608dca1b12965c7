"""Running ``import`` and ``export`` for a person at a terminal."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse


def run_import(args: argparse.Namespace) -> int:
    print("import: not implemented yet", file=sys.stderr)
    return 2


def run_export(args: argparse.Namespace) -> int:
    print("export: not implemented yet", file=sys.stderr)
    return 2
