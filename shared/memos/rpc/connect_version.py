"""connect-python's version string, known without ``importlib.metadata`` at cold start.

connect-python's package ``__init__`` imports its ``_version`` module, which calls
``importlib.metadata.version("connect-python")`` only to build a default user-agent string.
Importing ``importlib.metadata`` (email parsing, zipfile, csv...) costs tens of milliseconds of
every function's cold start, and nothing else we load needs it. :func:`preload_connect_version`
reads the same version from the installed distribution's ``.dist-info`` folder name and registers
an equivalent ``connectrpc._version`` module before ``connectrpc`` is first imported. When the
folder cannot be found unambiguously it does nothing, and connect-python works it out itself.
"""

from __future__ import annotations

import os
import sys
import types
from importlib.util import find_spec
from typing import Final

VERSION_MODULE: Final = "connectrpc._version"
DIST_INFO_PREFIX: Final = "connect_python-"
DIST_INFO_SUFFIX: Final = ".dist-info"


def installed_connect_version() -> str | None:
    """The installed connect-python version, from its ``.dist-info`` folder; None if unsure."""
    spec = find_spec("connectrpc")
    if spec is None or not spec.submodule_search_locations:
        return None
    site_packages = os.path.dirname(os.fspath(next(iter(spec.submodule_search_locations))))
    try:
        names = os.listdir(site_packages)
    except OSError:
        return None
    versions = [
        name[len(DIST_INFO_PREFIX) : -len(DIST_INFO_SUFFIX)]
        for name in names
        if name.startswith(DIST_INFO_PREFIX) and name.endswith(DIST_INFO_SUFFIX)
    ]
    return versions[0] if len(versions) == 1 else None


def preload_connect_version() -> None:
    """Register ``connectrpc._version`` so importing ``connectrpc`` skips importlib.metadata.

    Call it before anything imports ``connectrpc``; afterwards it changes nothing.
    """
    if "connectrpc" in sys.modules or VERSION_MODULE in sys.modules:
        return
    version = installed_connect_version()
    if version is None:
        return
    module = types.ModuleType(VERSION_MODULE, "connect-python's version (see memos.rpc).")
    module.__version__ = version  # type: ignore[attr-defined]  # a module built at run time
    sys.modules[VERSION_MODULE] = module
