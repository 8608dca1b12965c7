"""CDK app entry point (``cdk.json`` runs it): composes the stacks of the stage in context."""

from __future__ import annotations

import aws_cdk as cdk

from infra.app import compose

app = cdk.App()
compose(app)
app.synth()
