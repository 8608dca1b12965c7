"""UserService: users, their settings, access tokens, webhooks, notifications and stats.

Each method parses the name, finds the caller, makes one domain call (modules next to this one)
and converts the result. Rules and their deviations from Memos live in those modules.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from google.api import httpbody_pb2
from google.protobuf import empty_pb2

from functions.user import convert as user_convert
from functions.user import preferences
from functions.user.avatar_route import AvatarFileRoute
from functions.user.resource_names import PERSONAL_ACCESS_TOKENS, SETTINGS
from memos import names
from memos.api.v1 import user_service_connect
from memos.api.v1 import user_service_pb2 as pb
from memos.auth.signing_secret import page_token_key, signing_secrets
from memos.caller import (
    current_user,
    require_admin,
    require_self,
    require_self_or_admin,
    require_user,
)
from memos.config import get_settings
from memos.convert import role_name, state_name, user_to_proto
from memos.domain.avatars import AVATAR_ROUTE_PREFIX
from memos.domain.instance_settings import display_with_update_time
from memos.domain.users import USER_NOT_FOUND, find_user, get_existing_user
from memos.errors import UPDATE_MASK_EMPTY, InvalidArgumentError, NotFoundError
from memos.rpc.call import current_call, current_identity
from memos.store.paging import lazy_page_tokens
from memos.store.users import NewUser

if TYPE_CHECKING:
    from collections.abc import Mapping

    from connectrpc.request import RequestContext

    from memos.config import Settings
    from memos.domain.webhook_urls import Resolver
    from memos.rpc.asgi import ASGIApp
    from memos.store import Stores
    from memos.store.user_stats import UserStats

    Context = RequestContext[Any, Any]


class UserService(user_service_connect.UserService):
    """Serves memos.api.v1.UserService, and the avatar file route ``/file/users/.../avatar``.

    ``resolve_webhook_host`` resolves webhook hostnames for the URL safety check (tests pass
    a fake, so they need no DNS).
    """

    def __init__(
        self,
        stores: Stores,
        settings: Settings | None = None,
        *,
        resolve_webhook_host: Resolver | None = None,
    ) -> None:
        self._stores = stores
        self._users = stores.users
        self._settings = settings or get_settings()
        self._resolve_host = resolve_webhook_host
        self._paging = lazy_page_tokens(partial(page_token_key, self._settings))

    def file_routes(self) -> Mapping[str, ASGIApp]:
        return {AVATAR_ROUTE_PREFIX: AvatarFileRoute(self._users)}

    # Users --------------------------------------------------------------------------------

    async def list_users(self, request: pb.ListUsersRequest, ctx: Context) -> pb.ListUsersResponse:
        require_admin(self._users)
        from functions.user import directory  # noqa: PLC0415

        listing = directory.list_users(
            self._users,
            self._paging(),
            filter=request.filter,
            page_size=request.page_size,
            page_token=request.page_token,
        )
        return pb.ListUsersResponse(
            users=[user_to_proto(user) for user in listing.users],
            next_page_token=listing.next_page_token,
            total_size=listing.total_size,
        )

    async def get_user(self, request: pb.GetUserRequest, ctx: Context) -> pb.User:
        return user_to_proto(find_user(self._users, request.name))

    async def create_user(self, request: pb.CreateUserRequest, ctx: Context) -> pb.User:
        if not request.HasField("user"):
            raise InvalidArgumentError("user is required")
        from memos.domain import registration  # noqa: PLC0415

        form = registration.RegistrationForm(
            username=request.user.username,
            password=request.user.password,
            email=request.user.email,
            display_name=request.user.display_name,
            role=role_name(request.user.role),
        )
        created = registration.register(
            self._users,
            self._stores.instance_settings,
            current_user(self._users),
            form,
            validate_only=request.validate_only,
        )
        if isinstance(created, NewUser):
            return user_convert.planned_user_to_proto(created)
        # Who signs up sees their own email; an ADMIN creating a user sees it as ADMIN.
        return user_to_proto(created, viewer=current_identity() or created)

    async def update_user(self, request: pb.UpdateUserRequest, ctx: Context) -> pb.User:
        if not request.update_mask.paths:
            raise InvalidArgumentError(UPDATE_MASK_EMPTY)
        from functions.user.profile import ProfileFields, update_profile  # noqa: PLC0415

        user_id = names.parse_user_id(request.user.name)
        caller = require_self_or_admin(self._users, user_id)
        target = get_existing_user(self._users, user_id)
        sent = request.user
        fields = ProfileFields(
            username=sent.username,
            email=sent.email,
            display_name=sent.display_name,
            avatar_url=sent.avatar_url,
            description=sent.description,
            password=sent.password,
            role=role_name(sent.role),
            state=state_name(sent.state),
        )
        updated = update_profile(
            self._users,
            self._stores.instance_settings,
            caller=caller,
            target=target,
            fields=fields,
            paths=list(request.update_mask.paths),
        )
        if "password" in request.update_mask.paths:
            from functions.user.password_sessions import end_other_sessions  # noqa: PLC0415

            end_other_sessions(
                self._stores.sessions,
                caller_id=caller.id,
                target_id=target.id,
                metadata=current_call().metadata,
                secrets=signing_secrets(self._settings),
            )
        return user_to_proto(updated)

    async def delete_user(self, request: pb.DeleteUserRequest, ctx: Context) -> empty_pb2.Empty:
        user_id = names.parse_user_id(request.name)
        require_self_or_admin(self._users, user_id)
        if not self._users.delete(user_id):
            raise NotFoundError(USER_NOT_FOUND)
        return empty_pb2.Empty()

    async def search_users(
        self, request: pb.SearchUsersRequest, ctx: Context
    ) -> pb.SearchUsersResponse:
        signed_in = current_identity() is not None
        from functions.user import directory  # noqa: PLC0415

        found = directory.search_users(self._users, request.filter, signed_in=signed_in)
        return pb.SearchUsersResponse(users=[user_to_proto(user) for user in found])

    async def get_user_avatar(
        self, request: pb.GetUserAvatarRequest, ctx: Context
    ) -> httpbody_pb2.HttpBody:
        from functions.user.avatars import avatar_image  # noqa: PLC0415

        image = avatar_image(find_user(self._users, request.name).avatar_url)
        return httpbody_pb2.HttpBody(content_type=image.content_type, data=image.data)

    # Stats --------------------------------------------------------------------------------

    async def list_all_user_stats(
        self, request: pb.ListAllUserStatsRequest, ctx: Context
    ) -> pb.ListAllUserStatsResponse:
        from functions.user import stats as user_stats  # noqa: PLC0415

        found = user_stats.all_user_stats(self._stores.user_stats, _viewer_id())
        return pb.ListAllUserStatsResponse(stats=self._stats_to_proto(found))

    async def get_user_stats(self, request: pb.GetUserStatsRequest, ctx: Context) -> pb.UserStats:
        creator_id = names.parse_user_id(request.name)
        from functions.user import stats as user_stats  # noqa: PLC0415

        found = user_stats.user_stats(self._stores.user_stats, _viewer_id(), creator_id)
        return self._stats_to_proto([found])[0]

    def _stats_to_proto(self, found: list[UserStats]) -> list[pb.UserStats]:
        with_times = any(stats.memo_times for stats in found)
        by_update = with_times and display_with_update_time(self._stores.instance_settings)
        return [
            user_convert.stats_to_proto(stats, display_with_update_time=by_update)
            for stats in found
        ]

    # Settings -----------------------------------------------------------------------------

    async def get_user_setting(
        self, request: pb.GetUserSettingRequest, ctx: Context
    ) -> pb.UserSetting:
        user_id, key = names.parse_child_name(request.name, SETTINGS, "resource name")
        require_self(self._users, user_id)
        return self._setting(user_id, preferences.check_setting_key(key))

    async def update_user_setting(
        self, request: pb.UpdateUserSettingRequest, ctx: Context
    ) -> pb.UserSetting:
        if not request.HasField("setting"):
            raise InvalidArgumentError("setting is required")
        user_id, key = names.parse_child_name(request.setting.name, SETTINGS, "resource name")
        require_self(self._users, user_id)
        if not request.update_mask.paths:
            raise InvalidArgumentError(UPDATE_MASK_EMPTY)
        if preferences.check_setting_key(key) != preferences.GENERAL:
            raise InvalidArgumentError(
                f"setting type {key} should not be updated via UpdateUserSetting"
            )
        if request.setting.WhichOneof("value") == "webhooks_setting":
            raise InvalidArgumentError("setting GENERAL takes a general_setting value")
        sent = request.setting.general_setting
        preferences.update_general_preferences(
            self._stores.user_settings,
            user_id,
            preferences.GeneralPreferences(
                locale=sent.locale, memo_visibility=sent.memo_visibility, theme=sent.theme
            ),
            list(request.update_mask.paths),
        )
        return self._setting(user_id, preferences.GENERAL)

    async def list_user_settings(
        self, request: pb.ListUserSettingsRequest, ctx: Context
    ) -> pb.ListUserSettingsResponse:
        user_id = names.parse_user_id(request.parent, "parent")
        require_self(self._users, user_id)
        found = [self._setting(user_id, key) for key in preferences.SETTING_KEYS]
        return pb.ListUserSettingsResponse(settings=found, total_size=len(found))

    def _setting(self, user_id: int, key: str) -> pb.UserSetting:
        if key == preferences.GENERAL:
            general = preferences.general_preferences(self._stores.user_settings, user_id)
            return user_convert.general_setting_to_proto(user_id, general)
        webhooks = self._stores.webhooks.list_for_user(user_id)
        return user_convert.webhooks_setting_to_proto(user_id, webhooks)

    # Personal access tokens ---------------------------------------------------------------

    async def list_personal_access_tokens(
        self, request: pb.ListPersonalAccessTokensRequest, ctx: Context
    ) -> pb.ListPersonalAccessTokensResponse:
        user_id = names.parse_user_id(request.parent, "parent")
        from functions.user import access_tokens  # noqa: PLC0415

        access_tokens.check_token_access(self._users, user_id, admin_may=True)
        tokens = self._stores.access_tokens.list_for_user(user_id)
        return pb.ListPersonalAccessTokensResponse(
            personal_access_tokens=[user_convert.access_token_to_proto(item) for item in tokens]
        )

    async def create_personal_access_token(
        self, request: pb.CreatePersonalAccessTokenRequest, ctx: Context
    ) -> pb.CreatePersonalAccessTokenResponse:
        user_id = names.parse_user_id(request.parent, "parent")
        from functions.user import access_tokens  # noqa: PLC0415

        access_tokens.check_token_access(self._users, user_id, admin_may=False)
        issued = access_tokens.issue_token(
            self._stores.access_tokens,
            user_id,
            description=request.description,
            expires_in_days=request.expires_in_days,
        )
        return pb.CreatePersonalAccessTokenResponse(
            personal_access_token=user_convert.access_token_to_proto(issued.record),
            token=issued.token,
        )

    async def delete_personal_access_token(
        self, request: pb.DeletePersonalAccessTokenRequest, ctx: Context
    ) -> empty_pb2.Empty:
        user_id, token_id = names.parse_child_name(
            request.name, PERSONAL_ACCESS_TOKENS, "personal access token name"
        )
        from functions.user import access_tokens  # noqa: PLC0415

        access_tokens.check_token_access(self._users, user_id, admin_may=False)
        access_tokens.revoke_token(self._stores.access_tokens, user_id, token_id)
        return empty_pb2.Empty()

    # Webhooks -----------------------------------------------------------------------------

    async def list_user_webhooks(
        self, request: pb.ListUserWebhooksRequest, ctx: Context
    ) -> pb.ListUserWebhooksResponse:
        user_id = names.parse_user_id(request.parent, "parent")
        require_self_or_admin(self._users, user_id)
        webhooks = self._stores.webhooks.list_for_user(user_id)
        return pb.ListUserWebhooksResponse(
            webhooks=[user_convert.webhook_to_proto(webhook) for webhook in webhooks]
        )

    async def create_user_webhook(
        self, request: pb.CreateUserWebhookRequest, ctx: Context
    ) -> pb.UserWebhook:
        user_id = names.parse_user_id(request.parent, "parent")
        require_self_or_admin(self._users, user_id)
        get_existing_user(self._users, user_id)
        from functions.user import webhooks as user_webhooks  # noqa: PLC0415

        webhook = user_webhooks.create_webhook(
            self._stores.webhooks,
            user_id,
            title=request.webhook.display_name,
            url=request.webhook.url,
            resolve=self._webhook_resolver(),
            allow_loopback=self._settings.allow_loopback_webhooks,
        )
        message = user_convert.webhook_to_proto(webhook)
        message.signing_secret = webhook.signing_secret  # shown this once (always generated)
        return message

    async def update_user_webhook(
        self, request: pb.UpdateUserWebhookRequest, ctx: Context
    ) -> pb.UserWebhook:
        if not request.HasField("webhook"):
            raise InvalidArgumentError("webhook is required")
        user_id, webhook_id = names.parse_child_name(
            request.webhook.name, names.WEBHOOKS, "webhook name"
        )
        require_self_or_admin(self._users, user_id)
        paths = list(request.update_mask.paths)
        from functions.user import webhooks as user_webhooks  # noqa: PLC0415

        webhook = user_webhooks.update_webhook(
            self._stores.webhooks,
            user_id,
            webhook_id,
            title=request.webhook.display_name,
            url=request.webhook.url,
            paths=paths,
            resolve=self._webhook_resolver(),
            allow_loopback=self._settings.allow_loopback_webhooks,
        )
        message = user_convert.webhook_to_proto(webhook)
        if user_webhooks.SIGNING_SECRET_PATH in paths and webhook.signing_secret:
            message.signing_secret = webhook.signing_secret  # rotated: the new one, shown once
        return message

    async def delete_user_webhook(
        self, request: pb.DeleteUserWebhookRequest, ctx: Context
    ) -> empty_pb2.Empty:
        user_id, webhook_id = names.parse_child_name(request.name, names.WEBHOOKS, "webhook name")
        require_self_or_admin(self._users, user_id)
        from functions.user import webhooks as user_webhooks  # noqa: PLC0415

        user_webhooks.delete_webhook(self._stores.webhooks, user_id, webhook_id)
        return empty_pb2.Empty()

    # Notifications ------------------------------------------------------------------------

    async def list_user_notifications(
        self, request: pb.ListUserNotificationsRequest, ctx: Context
    ) -> pb.ListUserNotificationsResponse:
        user_id = names.parse_user_id(request.parent, "parent")
        require_self(self._users, user_id)
        from functions.user import notifications  # noqa: PLC0415

        found = notifications.list_notifications(self._stores.notifications, user_id)
        return pb.ListUserNotificationsResponse(
            notifications=[user_convert.notification_to_proto(item) for item in found]
        )

    async def update_user_notification(
        self, request: pb.UpdateUserNotificationRequest, ctx: Context
    ) -> pb.UserNotification:
        if not request.HasField("notification"):
            raise InvalidArgumentError("notification is required")
        from functions.user import notifications  # noqa: PLC0415

        inbox_id = notifications.parse_notification_name(request.notification.name)
        caller = require_user(self._users)
        found = notifications.own_notification(self._stores.notifications, caller.id, inbox_id)
        status = user_convert.notification_status_name(request.notification.status)
        updated = notifications.update_notification(
            self._stores.notifications,
            found,
            status=status,
            paths=list(request.update_mask.paths),
        )
        return user_convert.notification_to_proto(updated)

    async def delete_user_notification(
        self, request: pb.DeleteUserNotificationRequest, ctx: Context
    ) -> empty_pb2.Empty:
        from functions.user import notifications  # noqa: PLC0415

        inbox_id = notifications.parse_notification_name(request.name)
        caller = require_user(self._users)
        found = notifications.own_notification(self._stores.notifications, caller.id, inbox_id)
        notifications.delete_notification(self._stores.notifications, found)
        return empty_pb2.Empty()

    def _webhook_resolver(self) -> Resolver:
        """The resolver given at construction, or DNS (loaded by the first webhook write)."""
        if self._resolve_host is not None:
            return self._resolve_host
        from memos.domain.webhook_urls import resolve_host  # noqa: PLC0415

        return resolve_host

    # --------------------------------------------------------------------------------------


def _viewer_id() -> int | None:
    identity = current_identity()
    return identity.user_id if identity is not None else None
