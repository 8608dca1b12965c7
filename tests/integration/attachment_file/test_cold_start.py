"""The attachment function's cold start does not load Pillow: only a thumbnail (or an EXIF
strip) pays for it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.fresh_interpreter import modules_loaded_by

if TYPE_CHECKING:
    from pathlib import Path


def test_importing_the_attachment_handler_does_not_import_pillow(tmp_path: Path) -> None:
    # Given a fresh interpreter, as on a Lambda cold start
    # When it imports the attachment handler (which builds the app and its file route)
    loaded = modules_loaded_by(
        "import functions.attachment.handler\nimport functions.attachment.file_route",
        env={"MEMOS_LOCAL_DATA_DIR": str(tmp_path)},
    )

    # Then Pillow is not among the loaded modules
    assert "functions.attachment.file_route" in loaded
    assert not {name for name in loaded if name.split(".")[0] == "PIL"}
