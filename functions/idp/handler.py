"""Lambda entry point for IdentityProviderService: wiring only."""

from functions.idp.service import IdentityProviderService
from memos.rpc.lambda_entry import lambda_handler

handler = lambda_handler(IdentityProviderService())
