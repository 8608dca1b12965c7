"""Outbound network access: the one guarded way the service calls other servers."""
