"""The API's test helpers: a token per person, and requests that carry it."""

import json

import pytest

from api.services import token_create


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


class Api:
    """A test client that sends a token (``as_(user)`` makes one, read-write unless asked)."""

    def __init__(self, client):
        self.client, self.headers = client, {}

    def as_(self, user, scope="read-write"):
        self.headers = bearer(token_create(user=user, name="tests", scope=scope)[1]) if user else {}
        return self

    def get(self, url, params=None):
        return self.client.get(url, params or {}, **self.headers)

    def post(self, url, data=None):
        return self.client.post(url, json.dumps(data if data is not None else {}), content_type="application/json",
                                **self.headers)

    def put(self, url, data=None):
        return self.client.put(url, json.dumps(data if data is not None else {}), content_type="application/json",
                               **self.headers)


@pytest.fixture
def api(client):
    return Api(client)


def problem_of(response, status):
    """The response's problem document, after checking it is one with this status."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["type"] == "about:blank" and body["title"] and body["detail"]
    return body
