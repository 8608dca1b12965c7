"""CDK app entry point (``cdk.json`` runs it): reads the deployment context and composes stacks.

The stacks themselves (data, API) are added by the infrastructure work; until then the app
synthesizes an empty cloud assembly after validating its context.
"""

from __future__ import annotations

import aws_cdk as cdk

from infra.context import read_context

app = cdk.App()
read_context(app.node)
app.synth()
