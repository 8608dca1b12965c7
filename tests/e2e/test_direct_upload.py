"""A direct-to-S3 upload over real HTTP against the local server and its emulated S3.

A script signs in, asks for an upload, posts 20 MB to the presigned form with a plain HTTP
client, finalizes, and reads the file back through ``/file/attachments/...`` (which redirects a
file this large to a presigned GET of the same local S3).
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

import httpx

from tests.e2e.accounts import signed_in

WEB_APP_ORIGIN = "http://localhost:3001"
SIZE = 20 * 1024 * 1024


def start(client: httpx.Client, auth: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/api/v1/attachment-uploads", json=body, headers=auth)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def test_a_20_mb_file_goes_straight_to_s3_and_is_read_back_through_the_file_route(
    client: httpx.Client, local_server: str
) -> None:
    # Given a signed-in script and 20 MB of bytes
    auth = signed_in(client, "uploader")
    data = os.urandom(SIZE)

    # When it starts an upload, posts the form to the URL it got, and finalizes
    started = start(
        client, auth, {"filename": "big.bin", "type": "application/octet-stream", "size": SIZE}
    )
    assert urlsplit(started["url"]).hostname == urlsplit(local_server).hostname
    posted = httpx.post(
        started["url"],
        data=started["fields"],
        files={"file": ("big.bin", data, "application/octet-stream")},
        timeout=60.0,
    )
    assert posted.status_code in (200, 201, 204), posted.text
    finalized = client.post(
        f"/api/v1/attachment-uploads/{started['uploadId']}/finalize", headers=auth
    )

    # Then it is an attachment of that size, and the file route hands back the same bytes
    assert finalized.status_code == 200, finalized.text
    attachment = finalized.json()
    assert attachment["size"] == str(SIZE)
    uid = attachment["name"].removeprefix("attachments/")
    redirect = client.get(f"/file/attachments/{uid}/big.bin", headers=auth)
    assert redirect.status_code == 307, redirect.text
    location = redirect.headers["location"]
    assert urlsplit(location).hostname == urlsplit(local_server).hostname
    downloaded = httpx.get(location, timeout=60.0)
    assert downloaded.status_code == 200
    assert len(downloaded.content) == SIZE
    assert downloaded.content == data


def test_the_web_app_may_post_the_form_from_its_origin(client: httpx.Client) -> None:
    # Given an upload started for a browser
    auth = signed_in(client, "browser")
    started = start(client, auth, {"filename": "a.txt", "type": "text/plain", "size": 5})

    # When the browser asks S3 whether the web app's origin may post there
    preflight = httpx.options(
        started["url"],
        headers={"origin": WEB_APP_ORIGIN, "access-control-request-method": "POST"},
    )

    # Then the bucket's CORS rule allows it
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == WEB_APP_ORIGIN


def test_finalizing_before_uploading_is_refused_over_http(client: httpx.Client) -> None:
    auth = signed_in(client, "hasty")
    started = start(client, auth, {"filename": "a.txt", "type": "text/plain", "size": 5})

    response = client.post(
        f"/api/v1/attachment-uploads/{started['uploadId']}/finalize", headers=auth
    )

    assert response.status_code == 404
    assert response.json()["code"] == 5
    assert response.json()["message"].startswith("upload not found")
