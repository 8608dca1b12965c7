"""Lambda entry point for AttachmentService: wiring only."""

from functions.attachment.service import AttachmentService
from memos.rpc.lambda_entry import lambda_handler
from memos.store import stores_from_environment

handler = lambda_handler(AttachmentService(stores_from_environment()))
