"""Talking to the API in tests: a client per member, and its error responses read by field."""

from django.test import Client

from accounts import services


class Api:
    """A client with an API token of one member, sending and reading JSON."""

    def __init__(self, membership):
        _, key = services.api_token_create(membership=membership, name="script")
        self.client = Client(HTTP_AUTHORIZATION=f"Token {key}")

    def get(self, url):
        return self.client.get(url)

    def send(self, method, url, data=None):
        return getattr(self.client, method)(url, data or {}, content_type="application/json")


def api_errors(response) -> dict[str, list[str]]:
    """The messages of an API error response ({type, errors: [...]}) by the field they are about."""
    by_field: dict[str, list[str]] = {}
    for error in response.json()["errors"]:
        by_field.setdefault(error["attr"] or "non_field_errors", []).append(error["detail"])
    return by_field
