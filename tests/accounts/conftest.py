"""Fixtures of the accounts tests."""

import pytest
from django.test import Client, TestCase


class CommittingClient(Client):
    """A test client whose requests end as they do in production.

    A test runs inside a transaction that never commits, so work a request leaves for after its
    commit (emails handed to the worker) would never run; here it runs before the response
    returns.
    """

    def request(self, **request):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**request)


@pytest.fixture
def client():
    return CommittingClient()


@pytest.fixture
def client_for():
    """A committing client signed in as `who`: a membership or a user."""

    def signed_in(who) -> CommittingClient:
        client = CommittingClient()
        client.force_login(getattr(who, "user", who))
        return client

    return signed_in
