"""Lambda assets built locally, without Docker, and cached by the hash of their inputs.

- **The layer**: ``python/`` holding the runtime dependencies of ``requirements.txt`` (wheels
  for CPython 3.12 on manylinux aarch64, installed with ``pip install --target``; no source
  builds), the ``memos`` package from ``shared/`` and the trimmed botocore models of
  :mod:`memos.store.aws_models`. On Lambda it is ``/opt/python``.
- **A function**: ``functions/__init__.py`` plus ``functions/<key>/``, so the handler
  ``functions.<key>.handler.handler`` imports as in the repository.

Bytecode is precompiled with a Python 3.12 interpreter when one is found (Lambda's 3.12 ignores
``cpython-311`` files, and ``/opt`` and ``/var/task`` are read-only, so without them every cold
start compiles in memory). ``--invalidation-mode unchecked-hash`` makes Lambda use the files
without comparing source timestamps, which the asset zip does not preserve. Without a 3.12
interpreter the assets are still built, uncompiled, and a warning says so.

Outputs live under ``build/lambda/`` named by a digest of everything that goes in (sources,
pins, target platform, this module's format version), so an unchanged input is never rebuilt and
CDK is handed that digest as the asset hash instead of hashing the tree again.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Final

from msgspec import Struct

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

FORMAT_VERSION: Final = "3"
TARGET_PYTHON: Final = "3.12"
# Lambda's python3.12 runs on Amazon Linux 2023 (glibc 2.34): any of these wheel tags loads.
TARGET_PLATFORMS: Final = (
    "manylinux2014_aarch64",
    "manylinux_2_28_aarch64",
    "manylinux_2_34_aarch64",
)
COMPLETE_MARKER: Final = ".complete"
PYTHON312_ENV: Final = "MEMOS_PYTHON312"

_VERSION_LINE: Final = re.compile(r"""^__version__ = ['"]([^'"]+)['"]""", re.MULTILINE)
_SKIPPED_PARTS = frozenset({"__pycache__", ".mypy_cache", ".pytest_cache"})


class BuiltAsset(Struct, frozen=True):
    path: Path
    digest: str  # what CDK records as the asset hash


class BundlingError(RuntimeError):
    """An asset could not be built (a wheel missing for the target, a handler folder absent)."""


def source_files(folder: Path) -> list[Path]:
    """The Python sources under ``folder``, sorted, without caches."""
    return sorted(
        path
        for path in folder.rglob("*.py")
        if path.is_file() and not _SKIPPED_PARTS.intersection(path.relative_to(folder).parts)
    )


def digest_of(root: Path, files: Iterable[Path], *extra: str) -> str:
    digest = hashlib.sha256()
    for text in (FORMAT_VERSION, TARGET_PYTHON, *TARGET_PLATFORMS, *extra):
        digest.update(text.encode() + b"\0")
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def find_python312() -> str | None:
    """A CPython 3.12 interpreter: ``$MEMOS_PYTHON312``, ``python3.12`` or a pyenv install."""
    candidates: list[str] = []
    if os.environ.get(PYTHON312_ENV):
        candidates.append(os.environ[PYTHON312_ENV])
    on_path = shutil.which("python3.12")
    if on_path:
        candidates.append(on_path)
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    candidates.extend(str(p) for p in sorted(pyenv_root.glob("versions/3.12*/bin/python3.12")))
    for candidate in candidates:
        try:
            result = subprocess.run(  # noqa: S603 - our own interpreter candidates
                [candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                check=False,
                capture_output=True,
                text=True,
                timeout=30,
            )
        except OSError:
            continue
        if result.returncode == 0 and result.stdout.strip() == TARGET_PYTHON:
            return candidate
    return None


def build_layer(root: Path, out_dir: Path) -> BuiltAsset:
    """The shared layer (dependencies + ``memos``), built once per distinct input."""
    requirements = root / "requirements.txt"
    shared = root / "shared"
    files = [requirements, *source_files(shared / "memos")]
    digest = digest_of(root, files, "layer")
    target = out_dir / f"layer-{digest[:20]}"

    def fill(staging: Path) -> None:
        python_dir = staging / "python"
        _pip_install(requirements, python_dir)
        shutil.rmtree(python_dir / "bin", ignore_errors=True)
        _copy_sources(shared, shared / "memos", python_dir)
        write_layer_models(python_dir)

    return _build_once(target, digest, fill)


def write_layer_models(python_dir: Path) -> None:
    """The trimmed botocore models (:mod:`memos.store.aws_models`), made from the botocore
    installed in the layer, so they always match the botocore that reads them."""
    from memos.store import aws_models  # noqa: PLC0415 - infra needs it only when bundling

    botocore_dir = python_dir / "botocore"
    found = _VERSION_LINE.search((botocore_dir / "__init__.py").read_text(encoding="utf-8"))
    if found is None:
        raise BundlingError("the layer's botocore has no __version__")
    target = python_dir / aws_models.MODELS_DIR.relative_to(aws_models.MODELS_DIR.parents[2])
    aws_models.write_models(botocore_dir / "data", target, found.group(1))


def build_function(root: Path, out_dir: Path, key: str) -> BuiltAsset:
    """One function's code: ``functions/__init__.py`` and ``functions/<key>/``."""
    package = root / "functions"
    folder = package / key
    if not (folder / "handler.py").is_file():
        raise BundlingError(f"functions/{key}/handler.py does not exist")
    files = [package / "__init__.py", *source_files(folder)]
    digest = digest_of(root, files, "function", key)
    target = out_dir / f"function-{key}-{digest[:20]}"

    def fill(staging: Path) -> None:
        for path in files:
            destination = staging / path.relative_to(root)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, destination)

    return _build_once(target, digest, fill)


def _build_once(target: Path, digest: str, fill: Callable[[Path], None]) -> BuiltAsset:
    marker = target.with_name(target.name + COMPLETE_MARKER)
    if marker.is_file() and target.is_dir():
        return BuiltAsset(target, digest)
    staging = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        fill(staging)
        _precompile(staging)
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)
        marker.write_text(digest + "\n")  # beside the asset, not in it
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return BuiltAsset(target, digest)


def pip_install_command(requirements: Path, target: Path) -> list[str]:
    """pip installing the pinned wheels for Lambda's Python on arm64 (never a source build:
    C extensions such as Pillow's must come as the target's binary wheels)."""
    platforms = [arg for platform in TARGET_PLATFORMS for arg in ("--platform", platform)]
    return [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--no-deps",  # requirements.txt pins every transitive dependency
        "--no-compile",  # pip would compile for its own Python; _precompile does 3.12
        "--only-binary=:all:",
        "--implementation",
        "cp",
        "--python-version",
        TARGET_PYTHON,
        *platforms,
        "--target",
        str(target),
        "--requirement",
        str(requirements),
    ]


def _pip_install(requirements: Path, target: Path) -> None:
    command = pip_install_command(requirements, target)
    result = subprocess.run(command, check=False, capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        raise BundlingError(f"pip could not build the layer:\n{result.stderr.strip()}")


def _copy_sources(base: Path, folder: Path, destination: Path) -> None:
    for path in source_files(folder):
        target = destination / path.relative_to(base)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)


def _precompile(folder: Path) -> None:
    interpreter = find_python312()
    if interpreter is None:
        warnings.warn(
            f"no Python {TARGET_PYTHON} interpreter found (set {PYTHON312_ENV}): "
            f"{folder.name} is bundled without precompiled bytecode",
            stacklevel=2,
        )
        return
    result = subprocess.run(  # noqa: S603
        [
            interpreter,
            "-m",
            "compileall",
            "-q",
            "-j",
            "0",
            "--invalidation-mode",
            "unchecked-hash",
            str(folder),
        ],
        check=False,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BundlingError(f"compileall failed in {folder}:\n{result.stdout}{result.stderr}")


DENY_ALL_AUTHORIZER: Final = '''"""Stand-in: functions/authorizer was missing at synth time."""


def handler(event, context):
    return {"isAuthorized": False}
'''


def build_deny_all_function(out_dir: Path, key: str) -> BuiltAsset:
    """A function whose handler refuses every request (fail closed), for a missing authorizer.

    Lets ``make synth`` work before ``functions/<key>/`` exists; a warning says so.
    """
    digest = hashlib.sha256(f"deny-all\0{key}\0{DENY_ALL_AUTHORIZER}".encode()).hexdigest()
    target = out_dir / f"function-{key}-deny-all-{digest[:12]}"
    warnings.warn(
        f"functions/{key}/handler.py does not exist: synthesizing a stand-in that denies "
        "every request",
        stacklevel=2,
    )

    def fill(staging: Path) -> None:
        package = staging / "functions"
        (package / key).mkdir(parents=True)
        (package / "__init__.py").write_text("")
        (package / key / "__init__.py").write_text("")
        (package / key / "handler.py").write_text(DENY_ALL_AUTHORIZER)

    return _build_once(target, digest, fill)


def build_stub(out_dir: Path, name: str) -> Path:
    """A tiny stand-in asset folder (``lambdaAssets=stub``): the templates, not the code."""
    folder = out_dir / "stub" / name
    marker = folder / "README.txt"
    if not marker.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        marker.write_text("stand-in asset: synthesized with -c lambdaAssets=stub\n")
    return folder
