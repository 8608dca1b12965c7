"""ActivityService: the activity feed behind inbox notifications."""

from __future__ import annotations

from memos.api.v1 import activity_service_connect


class ActivityService(activity_service_connect.ActivityService):
    """Serves memos.api.v1.ActivityService.

    Methods not defined here answer UNIMPLEMENTED, naming the method, until the activities work
    fills them in.
    """
