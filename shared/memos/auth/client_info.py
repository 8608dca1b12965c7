"""Who signed in from where: device, OS and browser from the User-Agent, and the client IP.

Kept with each refresh session for display only; never used to decide anything. The rules match
Memos v0.26.2 (spec auth.md §10), including its simplifications: matching is on the lower-cased
User-Agent, so versions come out lower-case; the first matching rule wins in each column.
"""

from __future__ import annotations

from typing import Final

from msgspec import Struct

_MOBILE_MARKERS: Final = ("mobile", "android", "iphone", "ipod", "windows phone", "blackberry")
_WINDOWS_VERSIONS: Final = (
    ("windows nt 10.0", "Windows 10/11"),
    ("windows nt 6.3", "Windows 8.1"),
    ("windows nt 6.1", "Windows 7"),
)
_OTHER_SYSTEMS: Final = (("linux", "Linux"), ("cros", "Chrome OS"))


class ClientInfo(Struct, frozen=True):
    user_agent: str
    ip_address: str
    device_type: str
    os: str
    browser: str


def client_info(
    *, user_agent: str | None, x_forwarded_for: str | None, x_real_ip: str | None
) -> ClientInfo:
    """Everything recorded about the client of a sign-in or refresh, from its request headers."""
    agent = user_agent or ""
    return ClientInfo(
        user_agent=agent,
        ip_address=client_ip(x_forwarded_for=x_forwarded_for, x_real_ip=x_real_ip),
        device_type=device_type(agent),
        os=operating_system(agent),
        browser=browser(agent),
    )


def client_ip(*, x_forwarded_for: str | None, x_real_ip: str | None) -> str:
    """The first ``X-Forwarded-For`` entry (trimmed), else ``X-Real-Ip`` as sent, else empty."""
    if x_forwarded_for:
        return x_forwarded_for.split(",", 1)[0].strip()
    return x_real_ip or ""


def device_type(user_agent: str) -> str:
    """``tablet``, ``mobile`` or ``desktop``; empty for an empty User-Agent."""
    agent = user_agent.lower()
    if not agent:
        return ""
    if "ipad" in agent or "tablet" in agent:
        return "tablet"
    if any(marker in agent for marker in _MOBILE_MARKERS):
        return "mobile"
    return "desktop"


def operating_system(user_agent: str) -> str:
    """``iOS 17.0``, ``Android 13``, ``Windows 10/11``, ``macOS 10.15.7``, ``Linux``, ... or ""."""
    agent = user_agent.lower()
    if "iphone os" in agent or "cpu os" in agent:
        marker = "cpu os " if "cpu os " in agent else "iphone os "
        return _named("iOS", _after(agent, marker, " ").replace("_", "."))
    if "android" in agent:
        return _named("Android", _after(agent, "android ", ";", ")"))
    if "windows" in agent:
        return next((name for marker, name in _WINDOWS_VERSIONS if marker in agent), "Windows")
    if "mac os x" in agent:
        return _named("macOS", _after(agent, "mac os x ", ";", ")").replace("_", "."))
    return next((name for marker, name in _OTHER_SYSTEMS if marker in agent), "")


def browser(user_agent: str) -> str:
    """``Edge 119.0.0.0``, ``Chrome ...``, ``Firefox ...``, ``Safari ...``, ``Opera`` or empty."""
    agent = user_agent.lower()
    if "edg/" in agent:
        return _named("Edge", _after(agent, "edg/", " "))
    if "chrome/" in agent and "edg" not in agent:
        return _named("Chrome", _after(agent, "chrome/", " "))
    if "firefox/" in agent:
        return _named("Firefox", _after(agent, "firefox/", " "))
    if "safari/" in agent and "chrome" not in agent and "edg" not in agent:
        return _named("Safari", _after(agent, "version/", " "))
    if "opera/" in agent or "opr/" in agent:
        return "Opera"
    return ""


def _after(agent: str, marker: str, *terminators: str) -> str:
    """The text after ``marker`` up to the first terminator tried in order, or to the end."""
    start = agent.find(marker)
    if start < 0:
        return ""
    rest = agent[start + len(marker) :]
    for terminator in terminators:
        end = rest.find(terminator)
        if end >= 0:
            return rest[:end].strip()
    return rest.strip()


def _named(name: str, version: str) -> str:
    return f"{name} {version}" if version else name
