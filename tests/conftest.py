"""Shared fixtures: one organisation with an owner, a marketer and a manager, and an outsider
who belongs to another organisation."""

from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.test import Client
from django_scopes import scopes_disabled

from accounts.models import Membership, Organization, Role
from config.celery import app as celery_app
from tests.factories import MembershipFactory, OrganizationFactory


@pytest.fixture(autouse=True)
def _clean_cache():
    # Rate limits live in the cache; every test starts with none used.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _setup_sees_every_organisation():
    """Factories and assertions set up and inspect rows of several organisations, so a test's
    own code runs with scopes disabled. Requests and tasks it starts do not inherit this: each
    request starts outside any scope (accounts.tenancy.TenancyScopeMiddleware) and enters its
    member's, and each task enters its organisation's (accounts.tasks.OrganizationTask)."""
    with scopes_disabled():
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _eager_celery():
    """Tasks run in-process unless a test starts a real worker (see tests/config/test_worker.py)."""
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager = False


@dataclass
class Team:
    organization: Organization
    owner: Membership
    marketer: Membership
    manager: Membership
    outsider: Membership  # a member of another organisation only

    @staticmethod
    def client_for(who) -> Client:
        """A client signed in as `who`: a membership or a user."""
        client = Client()
        client.force_login(getattr(who, "user", who))
        return client


@pytest.fixture
def team(db) -> Team:
    organization = OrganizationFactory(name="Glow Test Org")
    return Team(
        organization=organization,
        owner=MembershipFactory(organization=organization, role=Role.OWNER),
        marketer=MembershipFactory(organization=organization, role=Role.MARKETER),
        manager=MembershipFactory(organization=organization, role=Role.MANAGER),
        outsider=MembershipFactory(organization=OrganizationFactory(), role=Role.OWNER),
    )


@pytest.fixture
def owner_client(team):
    return team.client_for(team.owner)


@pytest.fixture
def marketer_client(team):
    return team.client_for(team.marketer)


@pytest.fixture
def manager_client(team):
    return team.client_for(team.manager)


@pytest.fixture
def outsider_client(team):
    return team.client_for(team.outsider)
