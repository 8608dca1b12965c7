"""The Lambda functions; each ``functions.<name>.handler`` module is one function's entry point."""

from memos.rpc.connect_version import preload_connect_version

preload_connect_version()  # before any connectrpc import: keeps importlib.metadata off cold start
