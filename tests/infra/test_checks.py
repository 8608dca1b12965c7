"""cdk-nag (AwsSolutions) and cfn-lint on the synthesized templates."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from cfnlint.api import lint_all  # type: ignore[import-untyped]

if TYPE_CHECKING:
    from tests.infra.synth import Assembly


def _acknowledgments(assembly: Assembly) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for template in assembly.templates.values():
        for resource in template["Resources"].values():
            found.extend(
                resource.get("Metadata", {}).get("cdk_nag", {}).get("rules_to_suppress", [])
            )
    return found


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_cdk_nag_aws_solutions_reports_no_unacknowledged_finding(
    assemblies: dict[str, Assembly], stage: str
) -> None:
    report = json.loads((assemblies[stage].outdir / "validation-report.json").read_text())

    failures = [p for p in report["pluginReports"] if p["conclusion"] != "success"]
    assert failures == []


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_every_acknowledged_finding_says_why(assemblies: dict[str, Assembly], stage: str) -> None:
    acknowledgments = _acknowledgments(assemblies[stage])

    assert acknowledgments  # the pack ran and wrote its acknowledgments into the templates
    for acknowledgment in acknowledgments:
        assert acknowledgment["id"].startswith("AwsSolutions-")
        assert len(acknowledgment["reason"]) > 20


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_cfn_lint_finds_no_error_in_the_templates(
    assemblies: dict[str, Assembly], stage: str
) -> None:
    for path in assemblies[stage].template_paths():
        matches = lint_all(path.read_text())
        errors = [m for m in matches if m.rule.id.startswith("E")]
        assert errors == [], (path.name, [str(m) for m in errors])
