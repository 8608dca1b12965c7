"""Synthesize the CDK app once per test session, the way ``make synth`` does, but with stand-in
Lambda assets (``lambdaAssets=stub``) so no layer is built.

``app.py`` runs in a subprocess with the context of cdk.json (the CLI would pass it the same
way), one subprocess per stage, both started together. Tests in ``tests/infra`` and the topology
test in ``tests/e2e`` share the result through :func:`synthesized`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from msgspec import Struct

ROOT = Path(__file__).resolve().parents[2]
STAGES = ("dev", "prod")
SYNTH_TIMEOUT_SECONDS = 300
SILENCED_NODE_MAJORS = "18,20,22,24"  # jsii's end-of-life banner, for whichever Node runs

Template = dict[str, Any]


class Assembly(Struct, frozen=True):
    """One stage's cloud assembly: its folder and its templates by stack name."""

    outdir: Path
    templates: dict[str, Template]
    stderr: str

    def stack(self, suffix: str) -> Template:
        """The template of the stack whose name ends with ``-<suffix>`` (``Api``, ``Data``)."""
        (template,) = [t for name, t in self.templates.items() if name.endswith(f"-{suffix}")]
        return template

    def template_paths(self) -> list[Path]:
        return sorted(self.outdir.glob("*.template.json"))


def cdk_json_context() -> dict[str, Any]:
    context: dict[str, Any] = json.loads((ROOT / "cdk.json").read_text())["context"]
    return context


def synth_environment(outdir: Path, **context: Any) -> dict[str, str]:
    return {
        **os.environ,
        "CDK_OUTDIR": str(outdir),
        "CDK_CONTEXT_JSON": json.dumps({**cdk_json_context(), **context}),
        "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": SILENCED_NODE_MAJORS,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "shared"), str(ROOT)]),
    }


def start_synth(outdir: Path, **context: Any) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "app.py"],
        cwd=ROOT,
        env=synth_environment(outdir, **context),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def read_assembly(outdir: Path, stderr: str) -> Assembly:
    manifest = json.loads((outdir / "manifest.json").read_text())
    templates: dict[str, Template] = {}
    for artifact_id, artifact in manifest["artifacts"].items():
        if artifact["type"] == "aws:cloudformation:stack":
            template_file = artifact["properties"]["templateFile"]
            templates[artifact_id] = json.loads((outdir / template_file).read_text())
    return Assembly(outdir=outdir, templates=templates, stderr=stderr)


@cache
def synthesized() -> dict[str, Assembly]:
    """Every stage synthesized with stub assets; raises with app.py's stderr if one fails."""
    base = Path(tempfile.mkdtemp(prefix="memos-synth-"))
    running = {
        stage: (base / stage, start_synth(base / stage, stage=stage, lambdaAssets="stub"))
        for stage in STAGES
    }
    assemblies: dict[str, Assembly] = {}
    for stage, (outdir, process) in running.items():
        _, stderr = process.communicate(timeout=SYNTH_TIMEOUT_SECONDS)
        if process.returncode != 0:
            raise RuntimeError(f"synth of stage {stage} failed:\n{stderr}")
        assemblies[stage] = read_assembly(outdir, stderr)
    return assemblies


class DeployedRoute(Struct, frozen=True):
    """A route of the synthesized HTTP API, followed to the function it invokes."""

    key: str
    handler: str  # "functions.user.handler.handler"
    environment: dict[str, Any]  # the function's environment variables, as in the template
    authorizer_handler: str | None  # the authorizer function's handler when the route has one


def deployed_routes(template: Template) -> dict[str, DeployedRoute]:
    """Route key -> where API Gateway would send it, read from the API stack's template."""
    resources = template["Resources"]
    functions: dict[str, dict[str, Any]] = {
        logical_id: r["Properties"]
        for logical_id, r in resources.items()
        if r["Type"] == "AWS::Lambda::Function"
    }

    def function_of_uri(uri: Any) -> dict[str, Any]:
        found = json.dumps(uri)
        (logical_id,) = [fid for fid in functions if f'"{fid}"' in found]
        return functions[logical_id]

    authorizers = {
        logical_id: function_of_uri(r["Properties"]["AuthorizerUri"])["Handler"]
        for logical_id, r in resources.items()
        if r["Type"] == "AWS::ApiGatewayV2::Authorizer"
    }
    integrations = {
        logical_id: function_of_uri(r["Properties"]["IntegrationUri"])
        for logical_id, r in resources.items()
        if r["Type"] == "AWS::ApiGatewayV2::Integration"
    }
    routes: dict[str, DeployedRoute] = {}
    for resource in resources.values():
        if resource["Type"] != "AWS::ApiGatewayV2::Route":
            continue
        properties = resource["Properties"]
        (integration_id,) = [i for i in integrations if i in json.dumps(properties["Target"])]
        function = integrations[integration_id]
        authorizer = properties.get("AuthorizerId")
        routes[properties["RouteKey"]] = DeployedRoute(
            key=properties["RouteKey"],
            handler=function["Handler"],
            environment=function["Environment"]["Variables"],
            authorizer_handler=authorizers[authorizer["Ref"]] if authorizer else None,
        )
    return routes
