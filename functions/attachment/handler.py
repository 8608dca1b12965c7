"""Lambda entry point for AttachmentService: wiring only."""

from functions.attachment.service import AttachmentService
from memos.rpc.lambda_entry import lambda_handler

handler = lambda_handler(AttachmentService())
