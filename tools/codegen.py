"""Generate the protobuf and Connect code under shared/memos/api/v1 from proto/, or check it.

    python tools/codegen.py generate   # rewrite shared/memos/api/v1 from proto/
    python tools/codegen.py check      # exit 1 when the committed code differs from proto/

Both commands run the same generation into a temporary directory, so `check` sees exactly
what `generate` would write. Output is deterministic: the .proto files are passed in sorted
order with paths relative to proto/, so nothing about this machine ends up in the code.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import grpc_tools
from google.api import annotations_pb2

REPO_ROOT = Path(__file__).resolve().parent.parent
PROTO_ROOT = REPO_ROOT / "proto"
OUTPUT_ROOT = REPO_ROOT / "shared"
PACKAGE_PATH = Path("memos", "api", "v1")
# Empty package markers that make the generated modules importable as memos.api.v1.*.
PACKAGE_MARKERS = (Path("memos", "api", "__init__.py"), PACKAGE_PATH / "__init__.py")
CONNECT_PLUGIN = "protoc-gen-connect-python"


class CodegenError(Exception):
    """Generation could not run (protoc or the Connect plugin failed or is missing)."""


def include_paths() -> list[Path]:
    """Our protos, protobuf's well-known types, and the google.api annotations."""
    return [
        PROTO_ROOT,
        Path(grpc_tools.__file__).parent / "_proto",
        Path(annotations_pb2.__file__).parents[2],
    ]


def connect_plugin() -> Path:
    # Installed next to the interpreter by the protoc-gen-connect-python package. The
    # interpreter path is deliberately not resolved: in a virtualenv it is a symlink.
    plugin = Path(sys.executable).parent / CONNECT_PLUGIN
    if not plugin.exists():
        raise CodegenError(f"{CONNECT_PLUGIN} not found next to {sys.executable}")
    return plugin


def proto_files() -> list[str]:
    files = sorted(p.relative_to(PROTO_ROOT).as_posix() for p in PROTO_ROOT.rglob("*.proto"))
    if not files:
        raise CodegenError(f"no .proto files under {PROTO_ROOT.relative_to(REPO_ROOT)}")
    return files


def generate_into(output_root: Path) -> None:
    """Write every generated file (and the package markers) under output_root."""
    command = [
        sys.executable,
        "-m",
        "grpc_tools.protoc",
        *(f"--proto_path={path}" for path in include_paths()),
        f"--plugin={CONNECT_PLUGIN}={connect_plugin()}",
        f"--python_out={output_root}",
        f"--pyi_out={output_root}",
        f"--connect-python_out={output_root}",
        *proto_files(),
    ]
    # The command is built from fixed arguments and the repository's own .proto paths.
    result = subprocess.run(command, cwd=PROTO_ROOT, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise CodegenError("protoc failed:\n" + (result.stderr or result.stdout).strip())
    for marker in PACKAGE_MARKERS:
        (output_root / marker).touch()


def package_files(package_dir: Path) -> dict[str, bytes]:
    """Generated files of one package directory by name (bytecode caches ignored)."""
    if not package_dir.is_dir():
        return {}
    return {path.name: path.read_bytes() for path in package_dir.iterdir() if path.is_file()}


def generate() -> int:
    target = OUTPUT_ROOT / PACKAGE_PATH
    with tempfile.TemporaryDirectory() as tmp:
        generate_into(Path(tmp))
        fresh = Path(tmp) / PACKAGE_PATH
        for stale in set(package_files(target)) - set(package_files(fresh)):
            (target / stale).unlink()
        target.mkdir(parents=True, exist_ok=True)
        for name in sorted(package_files(fresh)):
            shutil.copyfile(fresh / name, target / name)
        for marker in PACKAGE_MARKERS:
            (OUTPUT_ROOT / marker).touch()
    print(f"generated {OUTPUT_ROOT.relative_to(REPO_ROOT) / PACKAGE_PATH} from proto/")
    return 0


def check() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        generate_into(Path(tmp))
        expected = package_files(Path(tmp) / PACKAGE_PATH)
    committed = package_files(OUTPUT_ROOT / PACKAGE_PATH)
    location = (OUTPUT_ROOT / PACKAGE_PATH).relative_to(REPO_ROOT).as_posix()
    problems = [f"missing: {location}/{name}" for name in sorted(expected.keys() - committed)]
    problems += [f"extra: {location}/{name}" for name in sorted(committed.keys() - expected)]
    problems += [
        f"differs: {location}/{name}"
        for name in sorted(expected.keys() & committed.keys())
        if expected[name] != committed[name]
    ]
    if problems:
        print("\n".join(problems))
        print("generated code is out of date: run `make generate`")
        return 1
    print("generated code is up to date")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("generate", "check"))
    args = parser.parse_args(argv)
    try:
        return generate() if args.command == "generate" else check()
    except CodegenError as error:
        print(f"codegen: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
