"""Local, Docker-free Lambda assets: what goes in, caching by input hash, 3.12 bytecode."""

from __future__ import annotations

from pathlib import Path

import botocore
import pytest

from infra import bundling

ROOT = Path(__file__).resolve().parents[2]


def _repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "functions" / "memo").mkdir(parents=True)
    (root / "functions" / "user").mkdir(parents=True)
    (root / "functions" / "__init__.py").write_text("")
    (root / "functions" / "memo" / "__init__.py").write_text("")
    (root / "functions" / "memo" / "handler.py").write_text("handler = None\n")
    (root / "functions" / "user" / "handler.py").write_text("handler = None\n")
    return root


def test_a_function_asset_holds_only_its_own_package(tmp_path: Path) -> None:
    root = _repo(tmp_path)

    built = bundling.build_function(root, tmp_path / "out", "memo")

    sources = sorted(p.relative_to(built.path).as_posix() for p in built.path.rglob("*.py"))
    assert sources == [
        "functions/__init__.py",
        "functions/memo/__init__.py",
        "functions/memo/handler.py",
    ]


def test_an_unchanged_function_is_not_built_again(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    first = bundling.build_function(root, tmp_path / "out", "memo")
    (first.path / "sentinel").write_text("kept")

    second = bundling.build_function(root, tmp_path / "out", "memo")

    assert second == first
    assert (second.path / "sentinel").exists()


def test_a_changed_source_gives_a_new_asset(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    first = bundling.build_function(root, tmp_path / "out", "memo")
    (root / "functions" / "memo" / "handler.py").write_text("handler = 1\n")

    second = bundling.build_function(root, tmp_path / "out", "memo")

    assert second.digest != first.digest
    assert second.path != first.path


def test_a_missing_handler_is_refused_with_its_path(tmp_path: Path) -> None:
    root = _repo(tmp_path)

    with pytest.raises(bundling.BundlingError, match=r"functions/authorizer/handler\.py"):
        bundling.build_function(root, tmp_path / "out", "authorizer")


def test_bytecode_is_compiled_for_python_312_without_timestamp_checks(tmp_path: Path) -> None:
    if bundling.find_python312() is None:
        pytest.skip("no Python 3.12 interpreter on this machine (assets are built uncompiled)")
    root = _repo(tmp_path)

    built = bundling.build_function(root, tmp_path / "out", "memo")

    compiled = built.path / "functions" / "memo" / "__pycache__" / "handler.cpython-312.pyc"
    flags = int.from_bytes(compiled.read_bytes()[4:8], "little")
    assert flags == 0b01  # hash-based, unchecked (PEP 552)


def test_the_layer_targets_lambda_python_312_on_arm64() -> None:
    assert bundling.TARGET_PYTHON == "3.12"
    assert all(platform.endswith("_aarch64") for platform in bundling.TARGET_PLATFORMS)


def test_a_missing_authorizer_is_replaced_by_one_that_denies_everything(tmp_path: Path) -> None:
    with pytest.warns(UserWarning, match="denies every request"):
        built = bundling.build_deny_all_function(tmp_path / "out", "authorizer")

    namespace: dict[str, object] = {}
    source = (built.path / "functions" / "authorizer" / "handler.py").read_text()
    exec(compile(source, "handler.py", "exec"), namespace)
    handler = namespace["handler"]
    assert callable(handler)
    assert handler({"type": "REQUEST"}, None) == {"isAuthorized": False}


def test_the_layer_installs_only_binary_wheels_for_lambda_python_312_on_arm64(
    tmp_path: Path,
) -> None:
    # Given the pip command the layer is built with
    command = bundling.pip_install_command(tmp_path / "requirements.txt", tmp_path / "python")

    # Then it takes the pins as they are, never builds from source, and asks for CPython 3.12
    # wheels of the arm64 manylinux platforms Lambda's Amazon Linux 2023 loads
    assert "--only-binary=:all:" in command
    assert "--no-deps" in command
    assert "--no-compile" in command  # bytecode of pip's own Python would only take room
    assert command[command.index("--python-version") + 1] == "3.12"
    assert command[command.index("--implementation") + 1] == "cp"
    platforms = [command[i + 1] for i, arg in enumerate(command) if arg == "--platform"]
    assert platforms == list(bundling.TARGET_PLATFORMS)
    assert all(platform.endswith("_aarch64") for platform in platforms)


def test_pillow_is_pinned_for_the_layer() -> None:
    # Given the layer's requirements (the attachment function's thumbnails need Pillow)
    requirements = (ROOT / "requirements.txt").read_text().splitlines()

    # Then Pillow is pinned to one version, so its binary wheel goes into the layer
    pins = [line.split("==") for line in requirements if line.lower().startswith("pillow")]
    assert len(pins) == 1
    assert pins[0][0].lower() == "pillow"
    assert pins[0][1].strip()


def test_the_layer_gets_trimmed_models_of_its_own_botocore(tmp_path: Path) -> None:
    # Given a layer folder whose botocore is another version than the one running here
    python_dir = tmp_path / "python"
    (python_dir / "botocore").mkdir(parents=True)
    (python_dir / "botocore" / "__init__.py").write_text("__version__ = '9.8.7'\n")
    (python_dir / "botocore" / "data").symlink_to(Path(botocore.__file__).parent / "data")

    # When the layer's models are written
    bundling.write_layer_models(python_dir)

    # Then they sit beside the memos store package, stamped with the layer's botocore version
    models = python_dir / "memos" / "store" / "aws_models_data"
    assert (models / "botocore-version").read_text().strip() == "9.8.7"
    assert (models / "dynamodb").is_dir()
    assert (models / "endpoints.json").is_file()
