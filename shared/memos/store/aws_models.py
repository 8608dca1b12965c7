"""botocore's service models, cut down to the services this project calls.

Creating the first client reads botocore's data folder: it lists every one of its ~400 service
folders to check the name (twice), parses ``endpoints.json`` (1.2 MB for every service of every
partition) and a service model mostly made of documentation. That is about 60 ms of each cold
start spent on nothing a Lambda uses.

:func:`write_models` builds a smaller copy of the folder from the installed botocore: the shared
files, ``endpoints.json`` keeping only :data:`SERVICES`, and for each of them its newest API
version with the documentation taken out of the model (operations, shapes and members are kept
whole). :func:`trimmed_loader` gives botocore a loader reading only that copy, when it was made
from the botocore that is running; otherwise clients read botocore's own folder, as usual.

The copy lives in :data:`MODELS_DIR` (not in git): ``make install`` writes it, and the layer build
writes it into the layer from the layer's own botocore. Rerun with
``python -m memos.store.aws_models``.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from botocore.loaders import Loader

# Every service a client is made for anywhere in the project (functions, local server, CLI), and
# the ones botocore's credential providers call for a profile with a role or SSO.
SERVICES: Final = (
    "dynamodb",
    "dynamodbstreams",
    "s3",
    "secretsmanager",
    "sqs",
    "sso",
    "sso-oidc",
    "sts",
)
MODELS_DIR: Final = Path(__file__).with_name("aws_models_data")
VERSION_FILE: Final = "botocore-version"

_SHARED_FILES: Final = ("_retry", "partitions", "sdk-default-configuration")
_SKIPPED_MODELS: Final = ("examples-1",)  # examples are documentation too
_DOC_KEYS: Final = ("documentation", "documentationUrl")


def trimmed_loader(models_dir: Path = MODELS_DIR) -> Loader | None:
    """A loader reading only the trimmed copy, or None when there is none for this botocore."""
    import botocore  # noqa: PLC0415 - only code that makes clients gets here
    from botocore.loaders import Loader  # noqa: PLC0415

    try:
        made_from = (models_dir / VERSION_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    if made_from != botocore.__version__:
        return None
    return Loader(extra_search_paths=[str(models_dir)], include_default_search_paths=False)


def write_models(botocore_data: Path, target: Path, botocore_version: str) -> None:
    """Write the trimmed copy of ``botocore_data`` into ``target`` (replaced whole).

    The version file is written last, so a copy interrupted half-way is never used.
    """
    staging = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        for name in _SHARED_FILES:
            _dump(_load(botocore_data / f"{name}.json"), staging / f"{name}.json")
        _dump(_endpoints_for(_load(botocore_data / "endpoints.json")), staging / "endpoints.json")
        for service in SERVICES:
            _write_service(botocore_data, staging, service)
        (staging / VERSION_FILE).write_text(botocore_version + "\n", encoding="utf-8")
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def without_documentation(model: dict[str, Any]) -> dict[str, Any]:
    """A service model with the documentation of the service, its operations, their input,
    output and error references, its shapes and their members taken out; nothing else."""
    trimmed = _drop_docs(model)
    trimmed["operations"] = {
        name: _operation_without_docs(operation)
        for name, operation in model.get("operations", {}).items()
    }
    trimmed["shapes"] = {
        name: _shape_without_docs(shape) for name, shape in model.get("shapes", {}).items()
    }
    return trimmed


def _operation_without_docs(operation: dict[str, Any]) -> dict[str, Any]:
    trimmed = _drop_docs(operation)
    for key in ("input", "output"):
        if key in operation:
            trimmed[key] = _drop_docs(operation[key])
    if "errors" in operation:
        trimmed["errors"] = [_drop_docs(error) for error in operation["errors"]]
    return trimmed


def _shape_without_docs(shape: dict[str, Any]) -> dict[str, Any]:
    trimmed = _drop_docs(shape)
    if "members" in shape:
        trimmed["members"] = {name: _drop_docs(ref) for name, ref in shape["members"].items()}
    for key in ("member", "key", "value"):
        if key in shape:
            trimmed[key] = _drop_docs(shape[key])
    return trimmed


def _drop_docs(node: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in node.items() if key not in _DOC_KEYS}


def _endpoints_for(endpoints: dict[str, Any]) -> dict[str, Any]:
    partitions = [
        {**partition, "services": _only_ours(partition.get("services", {}))}
        for partition in endpoints["partitions"]
    ]
    return {**endpoints, "partitions": partitions}


def _only_ours(services: dict[str, Any]) -> dict[str, Any]:
    return {name: entry for name, entry in services.items() if name in SERVICES}


def _write_service(botocore_data: Path, staging: Path, service: str) -> None:
    folder = botocore_data / service
    version = max(entry.name for entry in folder.iterdir() if entry.is_dir())
    names = {
        entry.name.removesuffix(".gz").removesuffix(".json")
        for entry in (folder / version).iterdir()
    }
    for name in sorted(names - set(_SKIPPED_MODELS)):
        model = _load(folder / version / f"{name}.json")
        if name.startswith("service-"):
            model = without_documentation(model)
        _dump(model, staging / service / version / f"{name}.json")


def _load(path: Path) -> Any:
    """A botocore data file, plain or gzipped (botocore ships both)."""
    if path.is_file():
        return json.loads(path.read_bytes())
    return json.loads(gzip.decompress(path.with_name(path.name + ".gz").read_bytes()))


def _dump(data: Any, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")


def main() -> None:
    import botocore  # noqa: PLC0415

    write_models(Path(botocore.__file__).parent / "data", MODELS_DIR, botocore.__version__)
    print(f"wrote {MODELS_DIR.name}/ for botocore {botocore.__version__}")


if __name__ == "__main__":
    main()
