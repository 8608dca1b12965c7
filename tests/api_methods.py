"""Every method of the API, read from the compiled descriptors, with a sample call for each.

Contract-wide tests walk this list so that a method added to the protos is checked without
anyone editing a test. Sample REST paths fill each ``google.api.http`` path variable with a
plausible resource name (``users/1``, ``memos/abc``, ``users/1/settings/GENERAL``).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from functools import cache
from typing import TYPE_CHECKING

from google.api import annotations_pb2
from google.protobuf import message_factory
from msgspec import Struct

import memos.api.v1
from memos.auth.public_methods import is_public

if TYPE_CHECKING:
    from google.protobuf.descriptor import MethodDescriptor

API_PACKAGE = "memos.api.v1"

# Sample ids by the collection segment they follow; anything else gets "1".
_SAMPLE_IDS = {"memos": "abc", "attachments": "abc", "settings": "GENERAL"}
_PATH_VARIABLE = re.compile(r"\{(?P<field>[^}=]+)(?:=(?P<pattern>[^}]+))?\}")


class ApiMethod(Struct, frozen=True):
    """One RPC: its Connect procedure and a REST call that reaches it."""

    service: str
    name: str
    http_method: str
    rest_path: str
    rest_has_body: bool
    empty_request: bytes

    @property
    def procedure(self) -> str:
        return f"/{API_PACKAGE}.{self.service}/{self.name}"

    @property
    def public(self) -> bool:
        return is_public(self.procedure)

    @property
    def unimplemented_message(self) -> str:
        return f"{API_PACKAGE}.{self.service}/{self.name} is not implemented yet"

    def __str__(self) -> str:
        return f"{self.service}/{self.name}"


def _sample_value(pattern: str) -> str:
    segments = pattern.split("/")
    filled = []
    for index, segment in enumerate(segments):
        previous = segments[index - 1] if index else ""
        if segment == "*":
            filled.append(_SAMPLE_IDS.get(previous, "1"))
        elif segment == "**":
            filled.append("a/b")
        else:
            filled.append(segment)
    return "/".join(filled)


def sample_rest_path(template: str) -> str:
    """``/api/v1/{name=users/*}:getStats`` -> ``/api/v1/users/1:getStats``."""
    return _PATH_VARIABLE.sub(lambda match: _sample_value(match["pattern"] or "*"), template)


def _api_method(method: MethodDescriptor) -> ApiMethod:
    rule = method.GetOptions().Extensions[annotations_pb2.http]
    verb = rule.WhichOneof("pattern")
    if verb is None or verb == "custom":
        raise ValueError(f"{method.full_name} has no plain google.api.http rule")
    request_class = message_factory.GetMessageClass(method.input_type)
    return ApiMethod(
        service=method.containing_service.name,
        name=method.name,
        http_method=verb.upper(),
        rest_path=sample_rest_path(getattr(rule, verb)),
        rest_has_body=bool(rule.body),
        empty_request=request_class().SerializeToString(),
    )


@cache
def all_methods() -> tuple[ApiMethod, ...]:
    """Every method of every service in the generated ``*_service_pb2`` modules."""
    methods: list[ApiMethod] = []
    for module_info in sorted(pkgutil.iter_modules(memos.api.v1.__path__), key=str):
        if not module_info.name.endswith("_service_pb2"):
            continue
        module = importlib.import_module(f"{API_PACKAGE}.{module_info.name}")
        for service in module.DESCRIPTOR.services_by_name.values():
            methods.extend(_api_method(method) for method in service.methods)
    return tuple(methods)
