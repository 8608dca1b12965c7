"""Lambda entry point for ShortcutService: wiring only."""

from functions.shortcut.service import ShortcutService
from memos.rpc.lambda_entry import lambda_handler
from memos.store import stores_from_environment

handler = lambda_handler(ShortcutService(stores_from_environment()))
