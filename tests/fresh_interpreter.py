"""Running code in a fresh interpreter, as on a Lambda cold start, to see what it imports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

REPO_ROOT = Path(__file__).resolve().parents[1]


def modules_loaded_by(
    code: str, *, env: Mapping[str, str] | None = None, timeout: float = 60
) -> set[str]:
    """The modules loaded once ``code`` has run in a new interpreter, started from the
    repository with the layer's and the repository's paths and only ``env`` besides."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))\n"
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=REPO_ROOT,
        env={
            "PYTHONPATH": os.pathsep.join([str(REPO_ROOT / "shared"), str(REPO_ROOT)]),
            **(env or {}),
        },
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr
    loaded: list[str] = json.loads(result.stdout.splitlines()[-1])
    return set(loaded)
