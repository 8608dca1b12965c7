from __future__ import annotations

import os

import pytest

from tests.infra.synth import SILENCED_NODE_MAJORS, Assembly, Template, synthesized

# Tests import aws_cdk in process too; jsii would print Node's end-of-life banner.
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", SILENCED_NODE_MAJORS)


@pytest.fixture(scope="session")
def assemblies() -> dict[str, Assembly]:
    return synthesized()


@pytest.fixture(scope="session")
def dev(assemblies: dict[str, Assembly]) -> Assembly:
    return assemblies["dev"]


@pytest.fixture(scope="session")
def prod(assemblies: dict[str, Assembly]) -> Assembly:
    return assemblies["prod"]


@pytest.fixture(scope="session")
def api(dev: Assembly) -> Template:
    return dev.stack("Api")


@pytest.fixture(scope="session")
def data(dev: Assembly) -> Template:
    return dev.stack("Data")
