"""The committed generated code under shared/memos/api/v1 against what proto/ produces."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
CODEGEN = REPO_ROOT / "tools" / "codegen.py"


def test_generated_code_is_up_to_date_with_protos() -> None:
    # Given the committed generated code and the protos it came from
    # When codegen regenerates into a scratch directory and compares
    result = subprocess.run(
        [sys.executable, str(CODEGEN), "check"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )

    # Then nothing is missing, extra or different
    assert result.returncode == 0, (
        "generated code drifted from proto/ (run `make generate`):\n"
        + result.stdout
        + result.stderr
    )
    assert result.stdout.strip().splitlines()[-1] == "generated code is up to date"
