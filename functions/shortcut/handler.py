"""Lambda entry point for ShortcutService: wiring only."""

from functions.shortcut.service import ShortcutService
from memos.rpc.lambda_entry import lambda_handler

handler = lambda_handler(ShortcutService())
