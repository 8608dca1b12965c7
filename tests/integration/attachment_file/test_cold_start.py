"""The attachment function's cold start does not load Pillow: only a thumbnail (or an EXIF
strip) pays for it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]


def test_importing_the_attachment_handler_does_not_import_pillow(tmp_path: Path) -> None:
    # Given a fresh interpreter, as on a Lambda cold start
    probe = (
        "import json, sys\n"
        "import functions.attachment.handler\n"
        "import functions.attachment.file_route\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )

    # When it imports the attachment handler (which builds the app and its file route)
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=REPO_ROOT,
        env={
            "PYTHONPATH": os.pathsep.join([str(REPO_ROOT / "shared"), str(REPO_ROOT)]),
            "MEMOS_LOCAL_DATA_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )

    # Then Pillow is not among the loaded modules
    assert result.returncode == 0, result.stderr
    loaded = set(json.loads(result.stdout.splitlines()[-1]))
    assert "functions.attachment.file_route" in loaded
    assert not {name for name in loaded if name.split(".")[0] == "PIL"}
