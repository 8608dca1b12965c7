"""Deployment settings read from CDK context (``-c stage=prod`` or cdk.json)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from constructs import Node

STAGES = ("dev", "prod")


@dataclass(frozen=True, slots=True)
class DeploymentContext:
    stage: str
    cors_origins: tuple[str, ...]

    @property
    def is_production(self) -> bool:
        return self.stage == "prod"


def read_context(node: Node) -> DeploymentContext:
    stage = str(node.try_get_context("stage") or "dev")
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}: use one of {', '.join(STAGES)}")
    raw_origins = node.try_get_context("corsOrigins") or ""
    origins = tuple(o.strip().rstrip("/") for o in str(raw_origins).split(",") if o.strip())
    return DeploymentContext(stage=stage, cors_origins=origins)
