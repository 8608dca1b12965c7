"""Which transport carries the current call ("connect" or "rest"), for logging and cookies."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Literal

Transport = Literal["connect", "rest"]

current_transport: ContextVar[Transport] = ContextVar("current_transport", default="connect")
