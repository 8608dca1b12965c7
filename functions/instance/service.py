"""InstanceService: the instance profile and instance-wide settings."""

from __future__ import annotations

from memos.api.v1 import instance_service_connect


class InstanceService(instance_service_connect.InstanceService):
    """Serves memos.api.v1.InstanceService.

    Methods not defined here answer UNIMPLEMENTED, naming the method, until the identity work
    fills them in.
    """
