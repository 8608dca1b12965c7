"""AttachmentService: attachments and their blobs."""

from __future__ import annotations

from memos.api.v1 import attachment_service_connect


class AttachmentService(attachment_service_connect.AttachmentService):
    """Serves memos.api.v1.AttachmentService.

    Methods not defined here answer UNIMPLEMENTED, naming the method, until the attachments work
    fills them in.
    """
