"""Lambda entry point for AuthService: wiring only."""

from functions.auth.service import AuthService
from memos.rpc.lambda_entry import lambda_handler

handler = lambda_handler(AuthService())
