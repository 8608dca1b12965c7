"""A user's webhooks are capped (Memos has no cap): each memo change goes to every webhook of
its creator, so thousands aimed at one site would turn each change into a flood."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from functions.user.webhooks import MAX_WEBHOOKS_PER_USER, TOO_MANY_WEBHOOKS
from tests.integration.user.conftest import PUBLIC_HOST, add_user, token_of

if TYPE_CHECKING:
    from memos.store import Stores
    from tests.integration.user.conftest import UserApi


@pytest.mark.parametrize("protocol", ["connect", "rest"])
def test_a_webhook_beyond_the_cap_is_refused_and_a_delete_makes_room(
    api: UserApi, stores: Stores, protocol: str
) -> None:
    # Given a user with as many webhooks as allowed
    user = add_user(stores, "alice")
    token = token_of(user)
    webhook = {"url": f"https://{PUBLIC_HOST}/hook", "displayName": "hook"}
    parent = f"users/{user.id}"
    names = [
        api.ok("CreateUserWebhook", {"parent": parent, "webhook": webhook}, token)["name"]
        for _ in range(MAX_WEBHOOKS_PER_USER)
    ]

    # When they create one more
    if protocol == "connect":
        body = {"parent": parent, "webhook": webhook}
        response = api.connect("CreateUserWebhook", body, token)
    else:
        response = api.rest("POST", f"/api/v1/{parent}/webhooks", webhook, token)

    # Then it is refused, naming the cap, and nothing was added
    assert response.status == 429, response.body
    assert response.json()["message"] == TOO_MANY_WEBHOOKS
    listed = api.ok("ListUserWebhooks", {"parent": parent}, token)["webhooks"]
    assert len(listed) == MAX_WEBHOOKS_PER_USER

    # And once one is deleted, another may be created
    api.ok("DeleteUserWebhook", {"name": names[0]}, token)
    api.ok("CreateUserWebhook", {"parent": parent, "webhook": webhook}, token)
