"""The trimmed botocore models: the same services and operations, no documentation, and used
only when they were made from the botocore that runs."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import botocore
import botocore.session
import pytest
from botocore.exceptions import UnknownServiceError
from botocore.model import ServiceModel

from memos.store import aws_models
from memos.store.clients import _botocore_session

BOTOCORE_DATA = Path(botocore.__file__).parent / "data"


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("models") / "aws_models_data"
    aws_models.write_models(BOTOCORE_DATA, target, botocore.__version__)
    return target


def _original(service: str, name: str) -> Any:
    folder = BOTOCORE_DATA / service
    version = max(p.name for p in folder.iterdir() if p.is_dir())
    path = folder / version / f"{name}.json"
    if path.is_file():
        return json.loads(path.read_bytes())
    return json.loads(gzip.decompress(path.with_name(path.name + ".gz").read_bytes()))


def _session_reading(models_dir: Path) -> botocore.session.Session:
    session = botocore.session.get_session()
    loader = aws_models.trimmed_loader(models_dir)
    assert loader is not None
    session.register_component("data_loader", loader)
    return session


@pytest.mark.parametrize("service", aws_models.SERVICES)
def test_each_service_keeps_every_operation_and_shape_without_documentation(
    models_dir: Path, service: str
) -> None:
    # Given a service's model as botocore ships it and as the trimmed copy holds it
    original = _original(service, "service-2")
    session = _session_reading(models_dir)
    trimmed = session.get_service_model(service)

    # Then the copy has the same operations, shapes and wire metadata
    whole = ServiceModel(original, service_name=service)
    assert trimmed.operation_names == whole.operation_names
    assert trimmed.shape_names == whole.shape_names
    assert trimmed.metadata == whole.metadata
    for name in whole.operation_names:
        mine, theirs = trimmed.operation_model(name), whole.operation_model(name)
        assert mine.http == theirs.http
        assert (mine.input_shape and mine.input_shape.members.keys()) == (
            theirs.input_shape and theirs.input_shape.members.keys()
        )
    # And nothing but documentation was taken out
    assert aws_models.without_documentation(original) == json.loads(
        next((models_dir / service).glob("*/service-2.json")).read_text()
    )


def test_documentation_is_taken_only_from_where_models_keep_it() -> None:
    # Given a model with a member that happens to be named "documentation"
    model = {
        "documentation": "service docs",
        "operations": {
            "Op": {
                "documentation": "op docs",
                "input": {"shape": "In", "documentation": "ref docs"},
                "errors": [{"shape": "Oops", "documentation": "error docs"}],
            }
        },
        "shapes": {
            "In": {
                "type": "structure",
                "documentation": "shape docs",
                "members": {"documentation": {"shape": "S", "documentation": "member docs"}},
            },
            "L": {"type": "list", "member": {"shape": "S", "documentation": "item docs"}},
        },
    }

    trimmed = aws_models.without_documentation(model)

    # Then the member keeps its name, and every documentation text is gone
    assert trimmed == {
        "operations": {"Op": {"input": {"shape": "In"}, "errors": [{"shape": "Oops"}]}},
        "shapes": {
            "In": {"type": "structure", "members": {"documentation": {"shape": "S"}}},
            "L": {"type": "list", "member": {"shape": "S"}},
        },
    }


def test_endpoints_keep_every_partition_and_only_our_services(models_dir: Path) -> None:
    original = json.loads((BOTOCORE_DATA / "endpoints.json").read_bytes())
    trimmed = json.loads((models_dir / "endpoints.json").read_text())

    assert [p["partition"] for p in trimmed["partitions"]] == [
        p["partition"] for p in original["partitions"]
    ]
    for mine, theirs in zip(trimmed["partitions"], original["partitions"], strict=True):
        assert set(mine["services"]) <= set(aws_models.SERVICES)
        assert {k: v for k, v in mine.items() if k != "services"} == {
            k: v for k, v in theirs.items() if k != "services"
        }
        for name, entry in mine["services"].items():
            assert entry == theirs["services"][name]


def test_a_client_built_from_the_copy_resolves_the_same_endpoint(models_dir: Path) -> None:
    trimmed = _session_reading(models_dir).create_client(
        "dynamodb", region_name="eu-west-3", aws_access_key_id="a", aws_secret_access_key="b"
    )
    whole = botocore.session.get_session().create_client(
        "dynamodb", region_name="eu-west-3", aws_access_key_id="a", aws_secret_access_key="b"
    )

    assert trimmed.meta.endpoint_url == whole.meta.endpoint_url
    assert trimmed.meta.service_model.operation_names == whole.meta.service_model.operation_names


def test_a_service_left_out_of_the_copy_is_refused_by_name(models_dir: Path) -> None:
    with pytest.raises(UnknownServiceError):
        _session_reading(models_dir).create_client("lambda", region_name="us-east-1")


def test_a_copy_made_from_another_botocore_is_not_used(tmp_path: Path) -> None:
    target = tmp_path / "aws_models_data"
    aws_models.write_models(BOTOCORE_DATA, target, "0.0.1")

    assert aws_models.trimmed_loader(target) is None
    assert aws_models.trimmed_loader(tmp_path / "missing") is None


def test_rewriting_the_copy_replaces_it_whole(tmp_path: Path) -> None:
    target = tmp_path / "aws_models_data"
    aws_models.write_models(BOTOCORE_DATA, target, botocore.__version__)
    (target / "stale.json").write_text("{}")

    aws_models.write_models(BOTOCORE_DATA, target, botocore.__version__)

    assert not (target / "stale.json").exists()
    assert not list(tmp_path.glob(".*tmp"))


def test_the_project_clients_read_the_copy_made_by_make_install() -> None:
    # make install writes the copy beside the module; every client of the project reads it
    loader = _botocore_session().get_component("data_loader")

    assert loader.search_paths == [str(aws_models.MODELS_DIR)]
