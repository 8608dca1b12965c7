"""Lambda entry point for MemoService: wiring only."""

from functions.memo.service import MemoService
from memos.rpc.lambda_entry import lambda_handler

handler = lambda_handler(MemoService())
