"""The local server restarted keeps its data: accounts, memos and attachment bytes.

Each test runs ``memos-serverless serve`` as a person does, stops it as Ctrl-C or a service
manager does (SIGTERM) and starts it again on the same data directory.
"""

from __future__ import annotations

import base64
import subprocess
import sys
import time
from typing import TYPE_CHECKING

import httpx
import pytest
from msgspec import Struct

from tests.e2e.accounts import sign_in, sign_up
from tests.e2e.conftest import (
    REPO_ROOT,
    STARTUP_TIMEOUT_SECONDS,
    _accepts_connections,
    _clean_environment,
    _free_port,
)

if TYPE_CHECKING:
    from pathlib import Path

FILE_BYTES = b"kept across restarts\x00\xff"


class Server(Struct):
    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> int:
        """SIGTERM, as a clean stop; the exit status."""
        self.process.terminate()
        try:
            return self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
            pytest.fail(f"the local server did not stop on SIGTERM:\n{self.output()}")


def run_server(
    args: list[str], *, cwd: Path, log: Path, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "devserver.cli", "serve", "--s3-port", "0", *args],
            cwd=cwd,
            env={**_clean_environment(), **(env or {})},
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def start_server(
    args: list[str], *, cwd: Path, log: Path, env: dict[str, str] | None = None
) -> Server:
    port = _free_port()
    process = run_server([*args, "--port", str(port)], cwd=cwd, log=log, env=env)
    server = Server(process, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while not _accepts_connections(port):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"local server did not start on port {port}:\n{server.output()}")
        time.sleep(0.05)
    return server


def write_memo_with_attachment(client: httpx.Client, auth: dict[str, str]) -> tuple[str, str]:
    """A memo naming an attachment created inline; (memo name, attachment uid)."""
    attachment = client.post(
        "/memos.api.v1.AttachmentService/CreateAttachment",
        json={
            "attachment": {
                "filename": "note.bin",
                "type": "application/octet-stream",
                "content": base64.b64encode(FILE_BYTES).decode(),
            }
        },
        headers=auth,
    )
    assert attachment.status_code == 200, attachment.text
    name = attachment.json()["name"]
    memo = client.post(
        "/memos.api.v1.MemoService/CreateMemo",
        json={"memo": {"content": "remember #this", "attachments": [{"name": name}]}},
        headers=auth,
    )
    assert memo.status_code == 200, memo.text
    return memo.json()["name"], name.removeprefix("attachments/")


def test_a_restarted_server_keeps_accounts_memos_and_attachment_bytes(tmp_path: Path) -> None:
    # Given a server on a data directory, with a user who wrote a memo with an attachment
    data_dir = tmp_path / "data"
    first = start_server(["--data-dir", str(data_dir)], cwd=tmp_path, log=tmp_path / "1.log")
    try:
        with httpx.Client(base_url=first.url, timeout=30.0) as client:
            sign_up(client, "keeper")
            memo_name, uid = write_memo_with_attachment(client, sign_in(client, "keeper"))
    finally:
        # When it is stopped cleanly
        assert first.stop() == 0, first.output()

    # And started again on the same directory
    second = start_server(["--data-dir", str(data_dir)], cwd=tmp_path, log=tmp_path / "2.log")
    try:
        with httpx.Client(base_url=second.url, timeout=30.0) as client:
            # Then the user signs in with the same password
            auth = sign_in(client, "keeper")
            # And finds the memo, its attachment and the attachment's bytes
            memo = client.post(
                "/memos.api.v1.MemoService/GetMemo", json={"name": memo_name}, headers=auth
            )
            assert memo.status_code == 200, memo.text
            assert memo.json()["content"] == "remember #this"
            assert [a["name"] for a in memo.json()["attachments"]] == [f"attachments/{uid}"]
            file = client.get(f"/file/attachments/{uid}/note.bin", headers=auth)
            assert file.status_code == 200, file.text
            assert file.content == FILE_BYTES
    finally:
        assert second.stop() == 0, second.output()
    assert "loaded" in second.output()


def test_ephemeral_mode_leaves_nothing_behind(tmp_path: Path) -> None:
    # Given a server started with throwaway data, its temporary files in a folder of their own
    workdir, temp = tmp_path / "work", tmp_path / "temp"
    workdir.mkdir()
    temp.mkdir()
    server = start_server(
        [],
        cwd=workdir,
        log=tmp_path / "server.log",
        env={"MEMOS_LOCAL_EPHEMERAL": "1", "TMPDIR": str(temp)},
    )
    try:
        # When a user signs up, writes a memo with an attachment and signs in
        with httpx.Client(base_url=server.url, timeout=30.0) as client:
            sign_up(client, "passer")
            write_memo_with_attachment(client, sign_in(client, "passer"))
    finally:
        # And the server stops
        assert server.stop() == 0, server.output()

    # Then nothing is left where it ran nor in its temporary folder
    assert list(workdir.iterdir()) == []
    assert list(temp.iterdir()) == []
    assert "throwaway" in server.output()


def test_a_corrupt_snapshot_is_refused_naming_the_file(tmp_path: Path) -> None:
    # Given a data directory whose table file was damaged
    data_dir = tmp_path / "data"
    saved = data_dir / "dynamodb" / "memos.jsonl"
    saved.parent.mkdir(parents=True)
    saved.write_text(
        '{"format": "memos-serverless table snapshot", "version": 1, "items": 1}\n{"pk": '
    )

    # When the server is started on it
    log = tmp_path / "server.log"
    process = run_server(
        ["--data-dir", str(data_dir), "--port", str(_free_port())], cwd=REPO_ROOT, log=log
    )
    status = process.wait(timeout=STARTUP_TIMEOUT_SECONDS)

    # Then it refuses to start, naming the file and how to move it aside, and leaves it as it was
    output = log.read_text()
    assert status == 2, output
    assert str(saved) in output
    assert f"mv '{saved}' '{saved}.broken'" in output
    assert saved.read_text().endswith('{"pk": ')
