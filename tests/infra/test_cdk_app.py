from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def synth(tmp_path: Path, *context: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "CDK_OUTDIR": str(tmp_path),
        "CDK_CONTEXT_JSON": json.dumps(dict(item.split("=", 1) for item in context)),
        "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "1",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "shared"), str(ROOT)]),
    }
    return subprocess.run(
        [sys.executable, "app.py"],
        check=False,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_the_cdk_app_synthesizes_offline(tmp_path: Path, stage: str) -> None:
    result = synth(tmp_path, f"stage={stage}")

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "manifest.json").exists()


def test_an_unknown_stage_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    result = synth(tmp_path, "stage=qa")

    assert result.returncode != 0
    assert "unknown stage 'qa'" in result.stderr
