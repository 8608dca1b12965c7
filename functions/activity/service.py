"""ActivityService: the activity feed behind inbox notifications.

The handlers never look at the caller (Memos' rule): any signed-in user reads every activity.
Only the names of the memos are exposed, not their content.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from functions.activity import feed
from memos import names
from memos.api.v1 import activity_service_connect
from memos.api.v1 import activity_service_pb2 as pb
from memos.domain.enums import ActivityLevel, ActivityType

if TYPE_CHECKING:
    from connectrpc.request import RequestContext

    from memos.store import Stores
    from memos.store.activities import Activity

    Context = RequestContext[Any, Any]

_TYPES: dict[str, pb.Activity.Type] = {ActivityType.MEMO_COMMENT: pb.Activity.MEMO_COMMENT}
_LEVELS: dict[str, pb.Activity.Level] = {ActivityLevel.INFO: pb.Activity.INFO}


class ActivityService(activity_service_connect.ActivityService):
    """Serves memos.api.v1.ActivityService.

    ListActivities returns everything in one response, as Memos does: ``page_size`` and
    ``page_token`` are accepted and ignored, and ``next_page_token`` stays empty.
    """

    def __init__(self, stores: Stores) -> None:
        self._activities = stores.activities
        self._table = stores.table

    async def list_activities(
        self, request: pb.ListActivitiesRequest, ctx: Context
    ) -> pb.ListActivitiesResponse:
        found = feed.list_activities(self._activities, self._table)
        return pb.ListActivitiesResponse(activities=[_to_proto(activity) for activity in found])

    async def get_activity(self, request: pb.GetActivityRequest, ctx: Context) -> pb.Activity:
        activity_id = names.parse_activity_name(request.name)
        return _to_proto(feed.get_activity(self._activities, self._table, activity_id))


def _to_proto(activity: Activity) -> pb.Activity:
    message = pb.Activity(
        name=names.activity_name(activity.id),
        creator=names.user_name(activity.creator_id),
        type=_TYPES.get(activity.type, pb.Activity.TYPE_UNSPECIFIED),
        level=_LEVELS.get(activity.level, pb.Activity.LEVEL_UNSPECIFIED),
    )
    message.create_time.FromSeconds(activity.created_ts)
    message.payload.SetInParent()  # an empty payload is still sent, as Memos does
    if activity.has_memo_comment:
        comment = message.payload.memo_comment
        comment.memo = names.memo_name(activity.memo_uid or "")
        comment.related_memo = names.memo_name(activity.related_memo_uid or "")
    return message
