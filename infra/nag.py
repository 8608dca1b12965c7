"""cdk-nag (AwsSolutions) wiring and the one way to acknowledge a finding, with its reason."""

from __future__ import annotations

from typing import TYPE_CHECKING

import aws_cdk as cdk
from cdk_nag import AwsSolutionsChecks

if TYPE_CHECKING:
    from constructs import IConstruct


def check_with_aws_solutions(app: cdk.App) -> None:
    """Run the AwsSolutions pack when the app synthesizes (findings fail the synth)."""
    cdk.Validations.of(app).add_plugins(
        AwsSolutionsChecks(app, verbose=True, write_suppressions_to_cloud_formation=True)
    )


def acknowledge(construct: IConstruct, rule: str, reason: str) -> None:
    """Acknowledge ``rule`` (``AwsSolutions-S1`` or a finding like ``AwsSolutions-IAM5[...]``)
    on ``construct`` and everything under it."""
    cdk.Validations.of(construct).acknowledge(cdk.Acknowledgment(id=rule, reason=reason))
