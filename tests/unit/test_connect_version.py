"""connect-python's version is known at cold start without it calling importlib.metadata."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

from memos.rpc.connect_version import installed_connect_version

ROOT = Path(__file__).resolve().parents[2]


def test_the_dist_info_folder_gives_the_installed_version() -> None:
    assert installed_connect_version() == version("connect-python")


def test_connectrpc_imported_through_the_functions_package_has_its_real_version() -> None:
    # Given a fresh interpreter that imports the functions package first, as Lambda does
    code = (
        "import json, sys, functions, connectrpc\n"
        "from connectrpc import _protocol_connect as protocol\n"
        "print(json.dumps([connectrpc.__version__, protocol._DEFAULT_CONNECT_USER_AGENT,"
        " hasattr(sys.modules['connectrpc._version'], '__file__')]))"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "shared"), str(ROOT)])}

    # When connectrpc is imported after it
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )

    # Then connectrpc reports the installed version, user agent included, without having loaded
    # its own version module
    expected = version("connect-python")
    assert json.loads(out.stdout) == [expected, f"connectrpc/{expected}", False]
